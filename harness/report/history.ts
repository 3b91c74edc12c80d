/**
 * The history of runs (`skyprobe run --history DIR`, default the reports folder): `DIR/history.jsonl`, one line
 * per run (its id, commit, inputs, verdict, counts, report.json's sha256 and each scenario's status and
 * duration), at most HISTORY_MAX lines. From it index.html draws per scenario the last HISTORY_DEPTH results as a
 * strip, the trend of totals and duration, and marks flaky scenarios. Pure functions; history-file.ts reads and
 * writes the file.
 */
import { createHash } from 'node:crypto';
import { scenarioKey } from './compare.ts';
import type { Report, ReportScenario } from './schema.ts';

import { HISTORY_FILE } from './names.ts';

export { HISTORY_FILE };
/** K: how many past runs a strip shows and flaky detection looks at. */
export const HISTORY_DEPTH = 10;
/** The index keeps this many runs (the oldest go first): one line each, ~1-2 KB for a full run. */
export const HISTORY_MAX = 200;

/** A scenario's result in one run: p passed, f failed, s skipped, F passed after a retry (flaky). */
export type HistoryStatus = 'p' | 'f' | 's' | 'F';

export interface HistoryRun {
  id: string;
  startedAt: string;
  durationMs: number;
  commit: string;
  provider: string;
  /** Digest of what the scenarios ran against: the commit and every component version. */
  inputs: string;
  verdict: 'passed' | 'failed';
  summary: Report['summary'];
  sha256: string;
  /** The run folder. */
  dir: string;
  /** By scenario key (`ID [label]`): status and duration in ms. */
  results: Record<string, [HistoryStatus, number]>;
}

export function inputsDigest(r: Pick<Report, 'run' | 'environment'>): string {
  const comps = Object.entries(r.environment.components).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([r.run.gitCommit, comps]))
    .digest('hex')
    .slice(0, 16);
}

const statusOf = (s: ReportScenario): HistoryStatus =>
  s.status === 'passed' ? (s.flaky ? 'F' : 'p') : s.status === 'failed' ? 'f' : 's';

export function historyEntry(r: Report, sha256: string, dir: string): HistoryRun {
  return {
    id: r.run.id,
    startedAt: r.run.startedAt,
    durationMs: r.run.durationMs,
    commit: r.run.gitCommit,
    provider: r.run.provider,
    inputs: inputsDigest(r),
    verdict: r.summary.failed > 0 ? 'failed' : 'passed',
    summary: r.summary,
    sha256,
    dir,
    results: Object.fromEntries(r.scenarios.map((s) => [scenarioKey(s), [statusOf(s), s.durationMs]])),
  };
}

/** The index with `entry` in it (replacing a line of the same run), oldest first, at most HISTORY_MAX runs. */
export function upsertHistory(runs: HistoryRun[], entry: HistoryRun, max = HISTORY_MAX): HistoryRun[] {
  const all = [...runs.filter((x) => x.id !== entry.id), entry].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return all.slice(Math.max(0, all.length - max));
}

/** history.jsonl read: a line that is not a run (cut, edited) is left out, never fatal. */
export function parseHistory(text: string): HistoryRun[] {
  const out: HistoryRun[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as HistoryRun;
      if (typeof r.id === 'string' && typeof r.startedAt === 'string' && r.results && typeof r.results === 'object')
        out.push(r);
    } catch {
      // not a run line
    }
  }
  return out;
}

export const renderHistory = (runs: HistoryRun[]): string => runs.map((r) => `${JSON.stringify(r)}\n`).join('');

export interface StripCell {
  run: string;
  startedAt: string;
  status: HistoryStatus;
  durationMs: number;
}

/** The last `depth` results of a scenario, oldest first, up to and including run `upTo` (runs after it left out). */
export function strip(runs: HistoryRun[], key: string, upTo: string, depth = HISTORY_DEPTH): StripCell[] {
  const end = runs.findIndex((r) => r.id === upTo);
  const upto = end >= 0 ? runs.slice(0, end + 1) : runs;
  return upto
    .flatMap((r) => {
      const x = r.results[key];
      return x ? [{ run: r.id, startedAt: r.startedAt, status: x[0], durationMs: x[1] }] : [];
    })
    .slice(-depth);
}

const passed = (s: HistoryStatus) => s === 'p' || s === 'F';

/**
 * Why a scenario is flaky over its last `depth` runs, or undefined: it passed only after a retry in one of them,
 * or its verdict changed (passed <-> failed) between two consecutive runs of it whose inputs (commit and
 * component versions) were the same.
 */
export function flakyReason(runs: HistoryRun[], key: string, upTo: string, depth = HISTORY_DEPTH): string | undefined {
  const end = runs.findIndex((r) => r.id === upTo);
  const list = (end >= 0 ? runs.slice(0, end + 1) : runs)
    .flatMap((r) => {
      const x = r.results[key];
      return x ? [{ run: r, status: x[0] }] : [];
    })
    .slice(-depth);
  const retried = list.filter((x) => x.status === 'F');
  if (retried.length > 0) return `passed only after a retry in run ${retried.map((x) => x.run.id).join(', ')}`;
  for (let i = list.length - 1; i > 0; i--) {
    const a = list[i - 1];
    const b = list[i];
    if (!a || !b || a.status === 's' || b.status === 's' || passed(a.status) === passed(b.status)) continue;
    if (a.run.inputs === b.run.inputs)
      return `${passed(a.status) ? 'passed' : 'failed'} in run ${a.run.id}, ${passed(b.status) ? 'passed' : 'failed'} in run ${b.run.id}, same commit ${b.run.commit} and component versions`;
  }
  return undefined;
}
