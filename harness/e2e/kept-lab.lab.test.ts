/**
 * Runs are independent of what ran before: on one kept lab, `skyprobe run --routing both` twice in a row, each
 * with 0 failures (the second finds every app, certificate, zone and route the first left: a check that passed
 * only because the first run issued from nothing would fail here, as TLS-04 did). And `--scenario` runs exactly
 * the scenarios asked for, `--failed-from` a run without failures runs nothing. The CLI is run as a user runs it,
 * attaching to the lab that is up (it leaves that lab running).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import type { Report } from '../report/schema.ts';
import { loadScenarios } from '../scenario/load.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { labForFile } from './lab-for-file.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
/** The run folders stay, like any run's (reports/ is git-ignored): a failure's evidence is in them. */
const out = join(repoRoot(), 'reports', `kept-lab-${new Date().toISOString().replace(/[:.]/g, '-')}`);

labForFile();

async function skyprobeRun(name: string, ...args: string[]) {
  const dir = join(out, name);
  const t0 = Date.now();
  const r = await execa('node', [bin, 'run', ...args, '--out', dir], { reject: false, env: { NO_COLOR: '1' } });
  const seconds = (Date.now() - t0) / 1000;
  const report = existsSync(join(dir, 'report.json')) ? readReport(dir) : undefined;
  return { ...r, dir, seconds, report };
}
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
const runs = (r: Report) => r.scenarios.map((s) => `${s.id} [${s.routing}] ${s.status}`);
const failures = (r: Report) =>
  r.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id} [${s.routing}]: ${s.message}`);

describe('on one kept lab', () => {
  it(
    '--scenario runs exactly the scenarios asked for, in the routing asked for',
    async () => {
      const r = await skyprobeRun('one', '--scenario', 'ST-01', '--scenario', 'st-02', '--routing', 'target');
      expect(r.stderr).not.toContain('error:');
      expect(r.exitCode).toBe(0);
      expect(runs(r.report as Report)).toEqual(['ST-01 [target] passed', 'ST-02 [target] passed']);
      expect(r.report?.run.selection).toEqual({
        by: 'scenario',
        scenarios: ['ST-01', 'ST-02'],
        runs: ['ST-01 [target]', 'ST-02 [target]'],
      });
    },
    TIMEOUTS.conformanceRun,
  );

  it(
    'two full runs in a row both pass: 0 failures in every scenario and mode, the second on what the first left',
    async () => {
      const catalog = (await loadScenarios()).flatMap((s) => s.routing.map((m) => `${s.id} [${m}] passed`)).sort();
      for (const name of ['first', 'second']) {
        const r = await skyprobeRun(name, '--routing', 'both');
        process.stderr.write(`kept lab: ${name} full run ${r.seconds.toFixed(0)} s, exit ${r.exitCode}\n`);
        expect(r.report, `${name} run: ${r.stderr.slice(-2000)}`).toBeDefined();
        const report = r.report as Report;
        expect(failures(report), `${name} run (${r.dir})`).toEqual([]);
        expect(runs(report).sort()).toEqual(catalog);
        expect(r.exitCode).toBe(0);
        expect(report.run.selection).toEqual({ by: 'all' });
        if (name === 'second') {
          // Nothing failed, so nothing to rerun: said in one line, exit 0, no run folder.
          const again = await skyprobeRun('rerun', '--failed-from', r.dir);
          expect(again.exitCode).toBe(0);
          expect(again.stderr).toContain(`nothing to rerun: run ${report.run.id} in ${r.dir} had no failed scenario`);
          expect(existsSync(again.dir)).toBe(false);
        }
      }
    },
    2 * TIMEOUTS.conformanceRun,
  );
});
