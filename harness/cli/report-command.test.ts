import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../report/report-fixtures.ts';
import { writeReportFiles } from '../report/reporter.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const skyprobe = (...args: string[]) => execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });

/** Two run folders under one history folder, as `skyprobe run --history` leaves them. */
function twoRuns() {
  const root = mkdtempSync(join(tmpdir(), 'skyprobe-signoff-'));
  const dir = (id: string) => (mkdirSync(join(root, id)), join(root, id));
  const healthy = fixtureReport(
    'A',
    [
      { id: 'DNS-01', label: 'current', status: 'passed' },
      { id: 'DNS-02', label: 'current', status: 'passed' },
    ],
    { startedAt: '2026-12-01T10:00:00.000Z' },
  );
  const broken = fixtureReport(
    'B',
    [
      { id: 'DNS-01', label: 'current', status: 'failed', failedCheck: 'A record served' },
      { id: 'DNS-02', label: 'current', status: 'passed' },
    ],
    { startedAt: '2026-12-01T10:05:00.000Z' },
  );
  writeReportFiles(dir('A'), healthy, { history: root, ranBy: 'test@host' });
  writeReportFiles(dir('B'), broken, { history: root, ranBy: 'test@host' });
  return { root, a: join(root, 'A'), b: join(root, 'B') };
}

describe('skyprobe report compare', () => {
  it('exit 1 naming the new failure; the other order exit 0 listing it as fixed; --json and --html', async () => {
    const { root, a, b } = twoRuns();
    const forward = await skyprobe('report', 'compare', a, join(b, 'report.json'));
    expect(forward.exitCode).toBe(1);
    expect(forward.stdout).toContain('new failures (1)\n  DNS-01 [current]  passed -> failed  check "A record served"');
    const back = await skyprobe('report', 'compare', b, a, '--json', '--html', join(root, 'c.html'));
    expect(back.exitCode).toBe(0);
    const c = JSON.parse(back.stdout) as { fixed: { id: string }[]; newFailures: unknown[] };
    expect(c.fixed.map((x) => x.id)).toEqual(['DNS-01']);
    expect(c.newFailures).toEqual([]);
    expect(readFileSync(join(root, 'c.html'), 'utf8')).toContain('<h2 id="fixed">Fixed (1)</h2>');
  });

  it('exit 2 with one line and a hint on bad input', async () => {
    const { root, a } = twoRuns();
    writeFileSync(join(root, 'bad.json'), '{"schema":"other"}');
    for (const args of [
      [a, join(root, 'nowhere')],
      [a, join(root, 'bad.json')],
    ]) {
      const r = await skyprobe('report', 'compare', ...args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\n {2}hint: /);
    }
  });
});

describe('skyprobe report verify', () => {
  it('passes on an untouched run folder, fails once report.json is edited, exit 2 without one', async () => {
    const { root, b } = twoRuns();
    const ok = await skyprobe('report', 'verify', b);
    expect(ok.stdout).toContain('✓ history index: sha256');
    expect(ok.stdout).toContain(`verified: ${b}`);
    expect(ok.exitCode).toBe(0);
    const file = join(b, 'report.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"status": "failed"', '"status": "passed"'));
    const bad = await skyprobe('report', 'verify', b);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/✗ report.json.sha256: recorded [0-9a-f]{64}, report.json is [0-9a-f]{64}/);
    expect(bad.stdout).toContain('✗ index.html sign-off summary');
    expect(bad.stdout).toContain('✗ history index');
    const none = await skyprobe('report', 'verify', root);
    expect(none.exitCode).toBe(2);
  });
});
