/**
 * npm run soak -- --runs N [--minutes M] [--seed S] [--retries R] [--no-crash]
 * N full conformance runs (`skyprobe run --routing both --retries R`, default R = 1 so that a scenario that passes
 * only on a retry shows as flaky), alternating a fresh lab (the run brings its own and removes it) and a kept one
 * (`lab up --keep`, the run, `lab down`); then the crash cases (soak-crash.ts). Bounded: it stops after N runs, or
 * once M minutes (default 120) have passed, when no new run starts. Each run, and each crash case, takes the shared
 * lab lock for itself (soak-lock.ts), so other sessions get the lab in between. Per run: verdicts, duration, flaky
 * scenarios and slow checks (soak-flaky.ts), what was left on the machine (leftovers.ts, against the same inventory
 * taken when the run got the lock) and the egress capture (soak-capture.ts). Writes reports/soak-<time>.json and
 * prints a summary table; exit 0 only when every run passed with nothing flaky, nothing left, no lab packet out,
 * and every crash case recovered.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { execRunner } from '../harness/exec/runner.ts';
import { repoRoot } from '../harness/paths.ts';
import { describeLeftovers, leftovers, newLeftovers, thisMachine } from '../harness/providers/embedded/leftovers.ts';
import type { Report } from '../harness/report/schema.ts';
import { type Capture, startCapture } from './soak-capture.ts';
import { type CrashCase, crashCase, seeded } from './soak-crash.ts';
import { type FlakyCheck, retriedScenarios, slowChecks } from './soak-flaky.ts';
import { underLabLock } from './soak-lock.ts';

const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const whole = (name: string, def: number, max: number) => {
  const v = option(name) ?? String(def);
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max) {
    process.stderr.write(`error: ${name} must be a whole number from 1 to ${max}, not "${v}"\n`);
    process.exit(2);
  }
  return n;
};
const RUNS = whole('--runs', 2, 100);
const MINUTES = whole('--minutes', 120, 24 * 60);
const SEED = whole('--seed', 1, 2 ** 31);
const RETRIES = Number(option('--retries') ?? 1);
const CRASH = !process.argv.includes('--no-crash');

const bin = join(repoRoot(), 'bin', 'skyprobe.mjs');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = join(repoRoot(), 'reports', `soak-${stamp}`);
mkdirSync(out, { recursive: true });
const cli = (args: string[]) =>
  execa('node', [bin, ...args], { reject: false, all: true, timeout: 30 * 60_000, env: { NO_COLOR: '1' } });
const tail = (s: unknown) =>
  String(s ?? '')
    .split('\n')
    .filter(Boolean)
    .slice(-4)
    .join(' | ');

interface SoakRun {
  run: number;
  lab: 'fresh' | 'kept';
  exitCode: number;
  durationMs: number;
  summary?: Report['summary'];
  failed: string[];
  flaky: string[];
  slowChecks: FlakyCheck[];
  left: { count: number; line: string };
  capture: Capture;
  folder: string;
  error?: string;
}

const machine = thisMachine(execRunner);
const started = Date.now();
const runs: SoakRun[] = [];
const reports: (Report | undefined)[] = [];
const crashes: CrashCase[] = [];

/** The soak's report and summary as they stand: written after every run and crash case, so a soak cut short leaves its figures. */
function writeSoak(final: boolean) {
  const passed = runs.filter((r) => r.exitCode === 0 && (r.summary?.failed ?? 1) === 0).length;
  const result = {
    schema: 'skyprobe.soak/v1',
    command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    seed: SEED,
    retries: RETRIES,
    totals: {
      runs: runs.length,
      passed,
      flakyScenarios: runs.reduce((a, r) => a + r.flaky.length, 0),
      slowChecks: runs.reduce((a, r) => a + r.slowChecks.length, 0),
      runsWithLeftovers: runs.filter((r) => r.left.count > 0).length,
      labPacketsOut: runs.reduce((a, r) => a + r.capture.packets, 0),
      crashCases: crashes.length,
      crashCasesRecovered: crashes.filter((c) => c.recovered).length,
    },
    runs,
    crashes,
  };
  const file = join(repoRoot(), 'reports', `soak-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const rows = [
    [
      'run',
      'lab',
      'exit',
      'duration',
      'passed',
      'failed',
      'skipped',
      'flaky',
      'slow checks',
      'left',
      'lab packets out',
    ],
    ...runs.map((r) => [
      String(r.run),
      r.lab,
      String(r.exitCode),
      `${(r.durationMs / 1000).toFixed(0)} s`,
      String(r.summary?.passed ?? '-'),
      String(r.summary?.failed ?? '-'),
      String(r.summary?.skipped ?? '-'),
      String(r.flaky.length),
      String(r.slowChecks.length),
      String(r.left.count),
      `${r.capture.packets} (control ${r.capture.control})`,
    ]),
  ];
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows
    .map((r) =>
      r
        .map((x, i) => x.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  const crashTable = crashes
    .map(
      (c) =>
        `crash ${c.name.padEnd(6)}  killed after ${String(c.killAfterMs).padStart(5)} ms (${c.killed ? 'running' : 'had ended'})  next: ${c.next.command} -> exit ${c.next.exitCode} in ${(c.next.durationMs / 1000).toFixed(0)} s${c.next.swept ? ` (${c.next.swept})` : ''}  left ${c.left.count}  ${c.recovered ? 'recovered' : `NOT RECOVERED ${c.left.line} ${c.next.tail ?? ''}`}`,
    )
    .join('\n');
  if (final)
    process.stdout.write(
      `${table}\n${crashTable}\ncapture: tcpdump -Q out on ${runs[0]?.capture.interfaces.join(', ') ?? '-'}, filter: ${runs[0]?.capture.filter ?? '-'}\n` +
        `soak: ${passed}/${runs.length} runs passed, ${result.totals.flakyScenarios} flaky scenarios, ${result.totals.slowChecks} slow checks, ` +
        `${result.totals.runsWithLeftovers} runs left something, ${result.totals.labPacketsOut} lab packets out, ` +
        `${result.totals.crashCasesRecovered}/${crashes.length} crash cases recovered (${((Date.now() - started) / 60_000).toFixed(1)} min); ${file}\n`,
    );
  return result;
}

for (let i = 1; i <= RUNS; i++) {
  if (Date.now() - started > MINUTES * 60_000) {
    process.stderr.write(`soak: ${MINUTES} minutes have passed; no run ${i}\n`);
    break;
  }
  const lab = i % 2 === 1 ? 'fresh' : 'kept';
  const folder = join(out, `run-${i}`);
  const r = await underLabLock(`soak run ${i} (${lab} lab)`, async () => {
    const before = await leftovers(machine);
    const capture = await startCapture();
    const t0 = Date.now();
    let error: string | undefined;
    if (lab === 'kept') {
      const up = await cli(['lab', 'up', '--keep']);
      if (up.exitCode !== 0) error = `lab up --keep: ${tail(up.all)}`;
    }
    const res = error
      ? undefined
      : await cli(['run', '--routing', 'both', '--retries', String(RETRIES), '--out', folder]);
    const durationMs = Date.now() - t0;
    if (lab === 'kept') await cli(['lab', 'down']);
    const cap = await capture.stop();
    const left = describeLeftovers(newLeftovers(before, await leftovers(machine)));
    // Whatever a failed run left is removed before the lock goes to someone else (and counted above).
    if (left.count > 0) await cli(['lab', 'down']);
    let report: Report | undefined;
    try {
      report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as Report;
    } catch {
      error ??= `no report.json: ${tail(res?.all)}`;
    }
    return { res, durationMs, cap, left, report, error };
  });
  reports.push(r.report);
  runs.push({
    run: i,
    lab,
    exitCode: r.res?.exitCode ?? -1,
    durationMs: r.durationMs,
    summary: r.report?.summary,
    failed: (r.report?.scenarios ?? [])
      .filter((s) => s.status === 'failed')
      .map((s) => `${s.id} [${s.routing ?? s.suite}]: ${(s.message ?? '').slice(0, 160)}`),
    flaky: r.report ? retriedScenarios(r.report) : [],
    slowChecks: [],
    left: r.left,
    capture: r.cap,
    folder,
    error: r.error,
  });
  const last = runs.at(-1) as SoakRun;
  process.stderr.write(
    `soak: run ${i} (${lab}) exit ${last.exitCode} in ${(last.durationMs / 1000).toFixed(0)} s: ${JSON.stringify(last.summary)}; left ${last.left.count}; lab packets out ${last.capture.packets}\n`,
  );
  writeSoak(false);
}
// Slow checks are judged against the median over all runs, so once they are all in.
for (const c of slowChecks(reports)) runs[c.run - 1]?.slowChecks.push(c);

if (CRASH) {
  const rand = seeded(SEED);
  for (const name of ['lab up', 'run', 'deploy'] as const) {
    const c = await underLabLock(`soak crash case: SIGKILL of ${name}`, () => crashCase(name, rand, out));
    crashes.push(c);
    process.stderr.write(
      `soak: crash ${name}: killed after ${c.killAfterMs} ms (${c.killed ? 'was running' : 'had ended'}); next exit ${c.next.exitCode}; left ${c.left.count}\n`,
    );
    writeSoak(false);
  }
}

const result = writeSoak(true);
const passed = result.totals.passed;
const ok =
  passed === runs.length &&
  result.totals.flakyScenarios === 0 &&
  result.totals.runsWithLeftovers === 0 &&
  result.totals.labPacketsOut === 0 &&
  result.totals.crashCasesRecovered === crashes.length;
process.exit(ok ? 0 : 1);
