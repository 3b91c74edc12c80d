/** `skyprobe run --scenario` and `--failed-from`: which scenario runs are chosen, and every way the input is refused. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SkyprobeError } from '../errors.ts';
import { REPORT_SCHEMA, type Report } from '../report/schema.ts';
import { type NothingToRun, type Selection, catalogIds, closeIds, selectScenarios } from './selection.ts';

const base = { suites: [] as string[], scenarios: [] as string[], routing: 'both' as const };
const pick = async (i: Partial<Parameters<typeof selectScenarios>[0]>) =>
  (await selectScenarios({ ...base, ...i })) as Selection;
const refused = async (i: Partial<Parameters<typeof selectScenarios>[0]>): Promise<SkyprobeError> => {
  const err = await selectScenarios({ ...base, ...i }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SkyprobeError);
  expect((err as SkyprobeError).exitCode).toBe(2);
  return err as SkyprobeError;
};

const tmp = mkdtempSync(join(tmpdir(), 'skyprobe-selection-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A run folder whose report.json has these scenario runs (status per `ID [routing]`). */
function runFolder(runs: Record<string, 'passed' | 'failed' | 'skipped'>, patch: Partial<Report> = {}): string {
  const dir = join(tmp, `run-${n++}`);
  const scenarios = Object.entries(runs).map(([key, status]) => {
    const [, id, routing] = key.match(/^(\S+) \[(\w+)\]$/) as string[];
    return { id, routing, status, title: id, area: 'tls', features: [], durationMs: 1, checks: [] };
  });
  const count = (s: string) => scenarios.filter((x) => x.status === s).length;
  const report = {
    schema: REPORT_SCHEMA,
    run: { id: 'r-earlier', startedAt: '', durationMs: 1, routing: ['current', 'target'], provider: 'embedded' },
    environment: { components: {} },
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    scenarios,
    hosts: [],
    ...patch,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}
describe('--scenario', () => {
  it('the catalog ids are the scenario files', () => {
    const ids = [...catalogIds().keys()];
    expect(ids).toContain('TLS-04');
    expect(ids).toContain('DNS-03');
    expect(catalogIds().get('DNS-03')).toMatch(/suites\/in-cluster\/DNS-03\.ts$/);
  });

  it('one id: that scenario in each routing mode it has, and only its file', async () => {
    const s = await pick({ scenarios: ['TLS-04'] });
    expect(s.runs).toEqual([
      { id: 'TLS-04', routing: 'current' },
      { id: 'TLS-04', routing: 'target' },
    ]);
    expect(s.files).toHaveLength(1);
    expect(s.files[0]).toMatch(/suites\/tls\/TLS-04\.ts$/);
    expect(s.record).toEqual({ by: 'scenario', scenarios: ['TLS-04'], runs: ['TLS-04 [current]', 'TLS-04 [target]'] });
  });

  it('repeatable, in any case, each id once, with --routing', async () => {
    const s = await pick({ scenarios: ['dp-01', 'CD-04', 'DP-01'], routing: 'current' });
    expect(s.runs).toEqual([
      { id: 'CD-04', routing: 'current' },
      { id: 'DP-01', routing: 'current' },
    ]);
    expect(s.files.map((f) => f.split('/').slice(-2).join('/'))).toEqual(['migration/CD-04.ts', 'data-path/DP-01.ts']);
  });

  it('an unknown id is refused, naming the close ids', async () => {
    const e = await refused({ scenarios: ['TLS-04', 'TLS-4'] });
    expect(e.message).toBe('unknown scenario "TLS-4"');
    expect(e.hint).toMatch(/^close ids: TLS-04, TLS-01, TLS-02, TLS-03, CD-04, DP-04 /);
  });

  it('an id in no routing mode asked for is refused', async () => {
    const e = await refused({ scenarios: ['CD-04'], routing: 'target' });
    expect(e.message).toBe('scenario CD-04 runs only in current routing, not in target');
    expect(e.hint).toContain('--routing current');
  });

  it('does not combine with --suite or --failed-from', async () => {
    expect((await refused({ scenarios: ['TLS-04'], suites: ['tls'] })).message).toBe(
      '--suite and --scenario do not combine: give one of them',
    );
    expect((await refused({ scenarios: ['TLS-04'], failedFrom: tmp })).message).toBe(
      '--scenario and --failed-from do not combine: give one of them',
    );
  });

  it('neither flag: no selection (every suite, or --suite, decides)', async () => {
    expect(await selectScenarios(base)).toBeUndefined();
    expect(await selectScenarios({ ...base, suites: ['tls'] })).toBeUndefined();
  });
});

describe('closeIds', () => {
  const ids = ['CD-04', 'DP-01', 'DP-04', 'TLS-01', 'TLS-04', 'MG-01'];
  it('same letters and number first, then the family, then the number', () => {
    expect(closeIds('TLS-4', ids)).toEqual(['TLS-04', 'TLS-01', 'CD-04', 'DP-04']);
    expect(closeIds('TLS-99', ids)).toEqual(['TLS-01', 'TLS-04']);
    expect(closeIds('XX-01', ids)).toEqual(['DP-01', 'MG-01', 'TLS-01']);
  });
  it('nothing close: every id', () => {
    expect(closeIds('frob', ids)).toEqual([...ids].sort());
  });
});

describe('--failed-from', () => {
  it('the failed scenario runs of the earlier report, each in the mode it failed in', async () => {
    const dir = runFolder({
      'TLS-04 [current]': 'failed',
      'TLS-04 [target]': 'passed',
      'DP-01 [target]': 'failed',
      'DNS-03 [current]': 'skipped',
    });
    const s = await pick({ failedFrom: dir });
    expect(s.runs).toEqual([
      { id: 'DP-01', routing: 'target' },
      { id: 'TLS-04', routing: 'current' },
    ]);
    expect(s.files.map((f) => f.split('/').at(-1))).toEqual(['DP-01.ts', 'TLS-04.ts']);
    expect(s.record).toEqual({
      by: 'failed-from',
      failedFrom: { dir, runId: 'r-earlier' },
      runs: ['DP-01 [target]', 'TLS-04 [current]'],
    });
  });

  it('with --routing: only the failures in that mode', async () => {
    const dir = runFolder({ 'TLS-04 [current]': 'failed', 'DP-01 [target]': 'failed' });
    expect((await pick({ failedFrom: dir, routing: 'target' })).runs).toEqual([{ id: 'DP-01', routing: 'target' }]);
  });

  it('nothing failed: nothing to run, said in one line', async () => {
    const dir = runFolder({ 'TLS-04 [current]': 'passed', 'DNS-03 [current]': 'skipped' });
    expect(await selectScenarios({ ...base, failedFrom: dir })).toEqual({
      nothing: `nothing to rerun: run r-earlier in ${dir} had no failed scenario (1 passed, 1 skipped)`,
    });
  });

  it('only upstream tests failed (no routing mode): nothing of the catalog to rerun, and how to rerun one', async () => {
    const dir = runFolder({ 'TLS-04 [current]': 'passed' });
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    report.scenarios.push({
      id: 'GWAPI-HTTPRouteWeight',
      suite: 'gateway-api',
      status: 'failed',
      title: 'HTTPRouteWeight',
      area: 'gateway-api',
      features: [],
      durationMs: 1,
      checks: [],
    });
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    const r = (await selectScenarios({ ...base, failedFrom: dir })) as NothingToRun;
    expect(r.nothing).toBe(
      `nothing of skyprobe's catalog to rerun: run r-earlier in ${dir} failed only upstream tests (GWAPI-HTTPRouteWeight); rerun one with --scenario GWAPI-HTTPRouteWeight`,
    );
  });

  it('failures only in the other routing mode: nothing to run', async () => {
    const dir = runFolder({ 'TLS-04 [current]': 'failed' });
    const r = (await selectScenarios({ ...base, failedFrom: dir, routing: 'target' })) as NothingToRun;
    expect(r.nothing).toBe(`nothing to rerun in target routing: run r-earlier in ${dir} failed only TLS-04 [current]`);
  });

  it('a folder without report.json, a missing folder, or another file: refused with the fix', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const e1 = await refused({ failedFrom: empty });
    expect(e1.message).toBe(`--failed-from ${empty}: the folder has no report.json`);
    expect(e1.hint).toContain('reports/latest');
    expect((await refused({ failedFrom: join(tmp, 'nope') })).message).toBe(
      `--failed-from ${join(tmp, 'nope')}: no such folder`,
    );
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'report.json'), '{"schema": "other/v9", "scenarios": []}');
    expect((await refused({ failedFrom: bad })).message).toBe(
      `--failed-from ${bad}: report.json is not a skyprobe.report/v1 report`,
    );
    writeFileSync(join(bad, 'report.json'), '{');
    expect((await refused({ failedFrom: bad })).message).toMatch(/report\.json is not JSON/);
  });

  it('a failed scenario the catalog no longer has, or no longer in that mode: refused', async () => {
    expect((await refused({ failedFrom: runFolder({ 'ZZ-99 [current]': 'failed' }) })).message).toMatch(
      /the catalog no longer has ZZ-99$/,
    );
    expect((await refused({ failedFrom: runFolder({ 'CD-04 [target]': 'failed' }) })).message).toMatch(
      /CD-04 no longer runs in target routing$/,
    );
  });
});
