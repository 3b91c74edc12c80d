/**
 * Two runs compared (`skyprobe report compare BASE HEAD`): new failures, fixed, still failing, newly skipped,
 * scenarios added and removed, durations that changed beyond a threshold, component versions that changed, and
 * host facts that changed. A scenario's identity is its id and its run label (routing mode or upstream suite).
 * Pure functions of two reports.
 */
import { COMPARE_DEFAULTS as NAMED_DEFAULTS } from './names.ts';
import type { ReportHost } from '../scenario/report-host.ts';
import { type Report, type ReportScenario, runLabel } from './schema.ts';

export interface CompareEntry {
  id: string;
  label: string;
  title: string;
  /** Status in base and head (absent where the scenario is not in that run). */
  base?: ReportScenario['status'];
  head?: ReportScenario['status'];
  /** The failing check and message of the run where it failed (head for new/still failing, base for fixed). */
  failedCheck?: string;
  message?: string;
}

export interface DurationChange {
  id: string;
  label: string;
  baseMs: number;
  headMs: number;
}

export interface Comparison {
  base: { id: string; commit: string; startedAt: string };
  head: { id: string; commit: string; startedAt: string };
  newFailures: CompareEntry[];
  fixed: CompareEntry[];
  stillFailing: CompareEntry[];
  newlySkipped: CompareEntry[];
  added: CompareEntry[];
  removed: CompareEntry[];
  durations: DurationChange[];
  components: { name: string; base?: string; head?: string }[];
  hosts: { host: string; routing: string; fact: string; base: string; head: string }[];
}

export interface CompareOptions {
  /** A duration change is reported when it exceeds this share of the base duration (0.5 = 50 %)... */
  durationRatio: number;
  /** ...and this many milliseconds, so that sub-second scenarios do not flood the list. */
  durationMinMs: number;
}

export const COMPARE_DEFAULTS: CompareOptions = NAMED_DEFAULTS;

export const scenarioKey = (s: Pick<ReportScenario, 'id' | 'routing' | 'suite'>) => `${s.id} [${runLabel(s)}]`;

const failedCheckOf = (s: ReportScenario) => s.checks.find((c) => c.status === 'failed')?.name;

function entry(s: ReportScenario, base?: ReportScenario, head?: ReportScenario, why?: ReportScenario): CompareEntry {
  return {
    id: s.id,
    label: runLabel(s),
    title: s.title,
    base: base?.status,
    head: head?.status,
    ...(why ? { failedCheck: failedCheckOf(why), message: why.message } : {}),
  };
}

/** The facts of a host that can change between runs: the four facts, the endpoint, the workload. */
function hostFacts(h: ReportHost): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(h.facts)) out[name] = f.status;
  if (h.endpoint) out.endpoint = h.endpoint.status;
  out.workload = h.workload.status;
  return out;
}

export function compareReports(base: Report, head: Report, opts: CompareOptions = COMPARE_DEFAULTS): Comparison {
  const b = new Map(base.scenarios.map((s) => [scenarioKey(s), s]));
  const h = new Map(head.scenarios.map((s) => [scenarioKey(s), s]));
  const c: Comparison = {
    base: { id: base.run.id, commit: base.run.gitCommit, startedAt: base.run.startedAt },
    head: { id: head.run.id, commit: head.run.gitCommit, startedAt: head.run.startedAt },
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newlySkipped: [],
    added: [],
    removed: [],
    durations: [],
    components: [],
    hosts: [],
  };
  for (const [key, hs] of h) {
    const bs = b.get(key);
    if (!bs) c.added.push(entry(hs, undefined, hs));
    if (hs.status === 'failed') {
      if (bs?.status === 'failed') c.stillFailing.push(entry(hs, bs, hs, hs));
      else c.newFailures.push(entry(hs, bs, hs, hs));
    }
    if (!bs) continue;
    if (bs.status === 'failed' && hs.status === 'passed') c.fixed.push(entry(hs, bs, hs, bs));
    if (hs.status === 'skipped' && bs.status !== 'skipped') c.newlySkipped.push(entry(hs, bs, hs));
    // Durations only where both ran to the end.
    if (bs.status !== 'skipped' && hs.status !== 'skipped') {
      const d = Math.abs(hs.durationMs - bs.durationMs);
      if (d > opts.durationMinMs && d > opts.durationRatio * bs.durationMs)
        c.durations.push({ id: hs.id, label: runLabel(hs), baseMs: bs.durationMs, headMs: hs.durationMs });
    }
  }
  for (const [key, bs] of b) if (!h.has(key)) c.removed.push(entry(bs, bs, undefined));
  const names = [
    ...new Set([...Object.keys(base.environment.components), ...Object.keys(head.environment.components)]),
  ];
  for (const name of names.sort()) {
    const bv = base.environment.components[name];
    const hv = head.environment.components[name];
    if (bv !== hv) c.components.push({ name, base: bv, head: hv });
  }
  const hostKey = (x: ReportHost) => `${x.host} [${x.routing}]`;
  const bh = new Map(base.hosts.map((x) => [hostKey(x), x]));
  for (const hh of head.hosts) {
    const bb = bh.get(hostKey(hh));
    if (!bb) continue;
    const bf = hostFacts(bb);
    const hf = hostFacts(hh);
    for (const [fact, now] of Object.entries(hf)) {
      const was = bf[fact];
      if (was !== undefined && was !== now)
        c.hosts.push({ host: hh.host, routing: hh.routing, fact, base: was, head: now });
    }
  }
  const byKey = (x: { id: string; label: string }, y: { id: string; label: string }) =>
    x.id.localeCompare(y.id) || x.label.localeCompare(y.label);
  for (const list of [c.newFailures, c.fixed, c.stillFailing, c.newlySkipped, c.added, c.removed, c.durations])
    list.sort(byKey);
  return c;
}

/** Exit code of `report compare`: 1 when head has a new failure, else 0. */
export const compareExitCode = (c: Comparison): number => (c.newFailures.length > 0 ? 1 : 0);

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The comparison as plain text: one block per non-empty list, a line per scenario. */
export function renderCompareText(c: Comparison): string {
  const out = [`base ${c.base.id} (${c.base.commit})  ->  head ${c.head.id} (${c.head.commit})`];
  const block = (title: string, rows: string[]) => {
    if (rows.length > 0) out.push('', `${title} (${rows.length})`, ...rows.map((r) => `  ${r}`));
  };
  const why = (e: CompareEntry) => (e.failedCheck ? `  check "${e.failedCheck}"` : e.message ? `  ${e.message}` : '');
  const st = (e: CompareEntry) => `${e.base ?? '—'} -> ${e.head ?? '—'}`;
  block(
    'new failures',
    c.newFailures.map((e) => `${e.id} [${e.label}]  ${st(e)}${why(e)}`),
  );
  block(
    'fixed',
    c.fixed.map((e) => `${e.id} [${e.label}]  ${st(e)}  (was:${why(e) || ' an error'})`),
  );
  block(
    'still failing',
    c.stillFailing.map((e) => `${e.id} [${e.label}]${why(e)}`),
  );
  block(
    'newly skipped',
    c.newlySkipped.map((e) => `${e.id} [${e.label}]  ${st(e)}${e.message ? `  ${e.message}` : ''}`),
  );
  block(
    'added',
    c.added.map((e) => `${e.id} [${e.label}]  ${e.head}`),
  );
  block(
    'removed',
    c.removed.map((e) => `${e.id} [${e.label}]  was ${e.base}`),
  );
  block(
    'durations',
    c.durations.map((d) => `${d.id} [${d.label}]  ${secs(d.baseMs)} -> ${secs(d.headMs)}`),
  );
  block(
    'components',
    c.components.map((x) => `${x.name}  ${x.base ?? '—'} -> ${x.head ?? '—'}`),
  );
  block(
    'host facts',
    c.hosts.map((x) => `${x.host} [${x.routing}] ${x.fact}  ${x.base} -> ${x.head}`),
  );
  out.push(
    '',
    `${c.newFailures.length} new failures, ${c.fixed.length} fixed, ${c.stillFailing.length} still failing, ${c.newlySkipped.length} newly skipped, ${c.added.length} added, ${c.removed.length} removed`,
  );
  return `${out.join('\n')}\n`;
}
