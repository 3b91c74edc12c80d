/**
 * The rule that keeps a stale build from running (bin/compiled.mjs): dist/ runs only while no build input is newer
 * than the moment its build began; otherwise the bins run the TypeScript through tsx.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildInputs, buildState } from '../bin/compiled.mjs';
import { repoRoot } from './paths.ts';
import { cliModules } from './testing/loaded-modules.ts';
import { TIMEOUTS } from './timeouts.ts';

describe('which harness the bins run', () => {
  let root: string;
  // A whole second, which utimes sets exactly.
  const startedAt = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const at = (file: string, ms: number) => utimesSync(join(root, file), ms / 1000, ms / 1000);
  const write = (file: string, text = '', ms = startedAt - 60_000) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
    at(file, ms);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'skyprobe-compiled-'));
    write('tsconfig.json', '{}');
    write('harness/cli/main.ts');
    write('harness/facts/dns.ts');
    write('harness/facts/dns.test.ts');
    write('harness/pod-runner/echo-server.mjs');
    write('dist/build.json', JSON.stringify({ startedAt }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a build newer than every input is fresh', () => {
    expect(buildState(root)).toEqual({ fresh: true });
  });
  it('no build, or a record without its time, is not fresh', () => {
    rmSync(join(root, 'dist'), { recursive: true });
    expect(buildState(root)).toEqual({ fresh: false, reason: 'no build in dist/ (npm run build)' });
    write('dist/build.json', '{}');
    expect(buildState(root)).toEqual({ fresh: false, reason: 'dist/build.json names no build time' });
  });
  it('a source changed after the build began is not fresh, and names the source', () => {
    at('harness/facts/dns.ts', startedAt + 1);
    expect(buildState(root)).toEqual({ fresh: false, reason: 'harness/facts/dns.ts changed after the last build' });
  });
  it('a source changed while the build ran counts as changed (the build began before it)', () => {
    at('harness/cli/main.ts', startedAt);
    expect(buildState(root).fresh).toBe(false);
  });
  it('a new source file, a changed tsconfig: not fresh', () => {
    write('harness/facts/new.ts', '', Date.now());
    expect(buildState(root)).toMatchObject({
      fresh: false,
      reason: 'harness/facts/new.ts changed after the last build',
    });
    rmSync(join(root, 'harness/facts/new.ts'));
    write('tsconfig.build.json', '{}', Date.now());
    expect(buildState(root)).toMatchObject({
      fresh: false,
      reason: 'tsconfig.build.json changed after the last build',
    });
  });
  it('files the build does not compile (tests, test support, an .mjs beside the sources) do not count', () => {
    write('harness/testing/fake.ts', '', Date.now());
    write('harness/vitest.config.ts', '', Date.now());
    at('harness/facts/dns.test.ts', Date.now());
    at('harness/pod-runner/echo-server.mjs', Date.now());
    expect(buildState(root)).toEqual({ fresh: true });
    expect(
      buildInputs(root)
        .map((f) => f.slice(root.length + 1))
        .sort(),
    ).toEqual(['harness/cli/main.ts', 'harness/facts/dns.ts', 'tsconfig.build.json', 'tsconfig.json']);
  });
  it(
    'the inputs are the harness files that tsc compiles for tsconfig.build.json, no more and no fewer',
    async () => {
      const tsc = join(repoRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
      const listed = (
        await execa('node', [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: repoRoot() })
      ).stdout
        .split('\n')
        .map((f) => relative(repoRoot(), f.trim()))
        .filter((f) => f.startsWith('harness/'));
      const inputs = buildInputs()
        .map((f) => relative(repoRoot(), f))
        .filter((f) => f.startsWith('harness/'));
      expect(listed.length).toBeGreaterThan(50);
      expect(inputs.sort()).toEqual(listed.sort());
    },
    TIMEOUTS.componentTest,
  );

  it('the CLI runs dist/ when it is fresh, the TypeScript when it is not or SKYPROBE_FROM_SOURCE is set', async () => {
    const fresh = buildState().fresh && !process.env.SKYPROBE_FROM_SOURCE;
    const auto = await cliModules(['--help']);
    expect(auto.modules.includes('dist/harness/cli/main.js')).toBe(fresh);
    expect(auto.modules.includes('harness/cli/main.ts')).toBe(!fresh);
    const source = await cliModules(['--help'], { SKYPROBE_FROM_SOURCE: '1' });
    expect(source.modules).toContain('harness/cli/main.ts');
    expect(source.modules.filter((m) => m.startsWith('dist/'))).toEqual([]);
    expect(source.stdout).toBe(auto.stdout);
  });
});
