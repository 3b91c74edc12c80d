import { describe, expect, it } from 'vitest';
import {
  HISTORY_DEPTH,
  type HistoryRun,
  flakyReason,
  historyEntry,
  inputsDigest,
  parseHistory,
  renderHistory,
  strip,
  upsertHistory,
} from './history.ts';
import { type FixtureScenario, fixtureReport } from './report-fixtures.ts';

const at = (i: number) => `2026-12-01T10:${String(i).padStart(2, '0')}:00.000Z`;
const runOf = (i: number, scenarios: FixtureScenario[], commit = 'c1'): HistoryRun =>
  historyEntry(fixtureReport(`r${i}`, scenarios, { commit, startedAt: at(i) }), `sha${i}`, `/reports/r${i}`);
const dns = (status: FixtureScenario['status'], extra: Partial<FixtureScenario> = {}): FixtureScenario => ({
  id: 'DNS-01',
  label: 'current',
  status,
  ...extra,
});

describe('history index', () => {
  it('is one line per run with each scenario keyed by id and run label', () => {
    const r = runOf(1, [dns('passed', { ms: 1500 }), { id: 'GWAPI-X', label: 'suite:gateway-api', status: 'failed' }]);
    expect(r.results).toEqual({ 'DNS-01 [current]': ['p', 1500], 'GWAPI-X [gateway-api]': ['f', 2000] });
    expect(r.verdict).toBe('failed');
    const text = renderHistory([r, runOf(2, [dns('passed')])]);
    expect(text.split('\n')).toHaveLength(3);
    expect(parseHistory(text)).toEqual([r, runOf(2, [dns('passed')])]);
  });

  it('replaces a run written again, keeps the order of start times and at most max runs', () => {
    let runs: HistoryRun[] = [];
    for (const i of [3, 1, 2]) runs = upsertHistory(runs, runOf(i, [dns('passed')]));
    runs = upsertHistory(runs, runOf(2, [dns('failed')]));
    expect(runs.map((r) => `${r.id}:${r.verdict}`)).toEqual(['r1:passed', 'r2:failed', 'r3:passed']);
    expect(upsertHistory(runs, runOf(4, [dns('passed')]), 2).map((r) => r.id)).toEqual(['r3', 'r4']);
  });

  it('skips a line that is not a run instead of failing', () => {
    const good = runOf(1, [dns('passed')]);
    expect(parseHistory(`{"cut":\n${JSON.stringify(good)}\nnot json\n{"id":"x"}\n`)).toEqual([good]);
  });

  it('digests the inputs: the commit and every component version', () => {
    const a = fixtureReport('a', [], { commit: 'c1' });
    expect(inputsDigest(a)).toBe(inputsDigest(fixtureReport('b', [], { commit: 'c1' })));
    expect(inputsDigest(a)).not.toBe(inputsDigest(fixtureReport('b', [], { commit: 'c2' })));
    expect(inputsDigest(a)).not.toBe(
      inputsDigest(fixtureReport('b', [], { commit: 'c1', components: { traefik: 'v3.6.13', coredns: 'v1.14.7' } })),
    );
  });
});

describe('strips and flaky detection', () => {
  const key = 'DNS-01 [current]';

  it('a strip is the last K results up to the run shown, oldest first, with durations', () => {
    const runs = Array.from({ length: 14 }, (_, i) => runOf(i, [dns(i === 12 ? 'failed' : 'passed', { ms: i * 100 })]));
    const cells = strip(runs, key, 'r12');
    expect(cells).toHaveLength(HISTORY_DEPTH);
    expect(cells.map((c) => c.run)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12']);
    expect(cells.at(-1)).toMatchObject({ status: 'f', durationMs: 1200 });
    // A run without the scenario leaves no cell.
    expect(strip([...runs.slice(0, 2), runOf(20, [])], key, 'r20').map((c) => c.run)).toEqual(['r0', 'r1']);
  });

  it('flaky: the verdict changed between runs with the same inputs', () => {
    const runs = [runOf(1, [dns('passed')]), runOf(2, [dns('failed')]), runOf(3, [dns('passed')])];
    expect(flakyReason(runs, key, 'r3')).toBe(
      'failed in run r2, passed in run r3, same commit c1 and component versions',
    );
    expect(flakyReason(runs, key, 'r1')).toBeUndefined();
  });

  it('not flaky: always passing, always failing, or a change that came with a new commit', () => {
    expect(flakyReason([runOf(1, [dns('passed')]), runOf(2, [dns('passed')])], key, 'r2')).toBeUndefined();
    expect(flakyReason([runOf(1, [dns('failed')]), runOf(2, [dns('failed')])], key, 'r2')).toBeUndefined();
    expect(flakyReason([runOf(1, [dns('passed')]), runOf(2, [dns('failed')], 'c2')], key, 'r2')).toBeUndefined();
    // Skipped in between is no verdict.
    expect(flakyReason([runOf(1, [dns('skipped')]), runOf(2, [dns('failed')])], key, 'r2')).toBeUndefined();
  });

  it('flaky: passed only after a retry, in this run or an earlier one of the last K', () => {
    const retried = [
      runOf(1, [dns('passed', { flaky: 'passed on attempt 2 after 1 failed' })]),
      runOf(2, [dns('passed')]),
    ];
    expect(flakyReason(retried, key, 'r2')).toBe('passed only after a retry in run r1');
  });

  it('a change older than the last K runs is forgotten', () => {
    const runs = [
      runOf(0, [dns('failed')]),
      ...Array.from({ length: HISTORY_DEPTH }, (_, i) => runOf(i + 1, [dns('passed')])),
    ];
    expect(flakyReason(runs, key, `r${HISTORY_DEPTH}`)).toBeUndefined();
    expect(flakyReason(runs, key, `r${HISTORY_DEPTH - 1}`)).toMatch(/^failed in run r0, passed in run r1/);
  });
});
