import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_CONFIG, parseProjectConfig, readProjectConfig, rendererFor } from './project-config.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const project = (config?: string) => {
  const d = mkdtempSync(join(tmpdir(), 'skyprobe-project-'));
  dirs.push(d);
  if (config !== undefined) writeFileSync(join(d, PROJECT_CONFIG), config);
  return d;
};

describe('the project config file, skyprobe.yaml', () => {
  it('gives the renderer; a --renderer flag wins; no file or an empty one: none (the built-in)', () => {
    const d = project('renderer: ./backend/render --strict\n');
    expect(readProjectConfig(d)).toEqual({ renderer: './backend/render --strict' });
    expect(rendererFor(undefined, d)).toBe('./backend/render --strict');
    expect(rendererFor('python3 other.py', d)).toBe('python3 other.py');
    expect(rendererFor(undefined, project())).toBeUndefined();
    expect(rendererFor(undefined, project(''))).toBeUndefined();
  });

  it('refuses a bad file in one line naming the file and the fault (exit 2)', () => {
    const cases: [string, RegExp][] = [
      ['renderer: [a', /skyprobe\.yaml: invalid YAML/],
      ['- renderer: x\n', /expected a mapping of settings/],
      ['render: ./x\n', /unknown key render \(known: renderer\)/],
      ['renderer: ""\n', /renderer must be a command/],
      ['renderer: 3\n', /renderer must be a command/],
    ];
    for (const [text, why] of cases) {
      let err: unknown;
      try {
        parseProjectConfig(text, 'skyprobe.yaml');
      } catch (e) {
        err = e;
      }
      expect((err as Error)?.message, text).toMatch(why);
      expect((err as Error).message).not.toContain('\n');
      expect((err as { exitCode?: number }).exitCode).toBe(2);
    }
  });

  it('a bad config stops deploy and run before anything is done: one error line, exit 2', async () => {
    const d = project('renderer: [\n');
    for (const verb of [['deploy', join(d, 'app.yaml')], ['run']]) {
      if (verb[0] === 'deploy') writeFileSync(join(d, 'app.yaml'), 'org: acme\napp: shop\nimage: skyprobe/echo:1\n');
      const r = await execa('node', [bin, ...verb], {
        cwd: d,
        reject: false,
        timeout: 60_000,
        env: { NO_COLOR: '1', SKYPROBE_RUN_DIR: join(d, 'run') },
      });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
        expect.stringMatching(/^error: project config .*skyprobe\.yaml: invalid YAML/),
      ]);
    }
  }, 120_000);
});
