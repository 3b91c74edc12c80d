/**
 * npm run bench -- --only conformance: the full conformance run (both routing modes, from lab up to lab down, as
 * one `skyprobe run` command) `runs` times at each parallelism of a list, with the issuance profile named. Per run:
 * the wall time, the counts, the sum of the scenario runs' durations (what one after another would cost, lab aside)
 * and the slowest scenario runs (the critical path's candidates); per parallelism the median.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Issuance } from '../harness/stack/issuance.ts';

interface ConformanceRun {
  ms: number;
  exitCode: number;
  summary?: unknown;
  failed?: string[];
  /** The sum of the scenario runs' durations. */
  scenarioSumMs?: number;
  slowest?: { run: string; ms: number }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

export async function benchConformance(o: {
  bin: string;
  runs: number;
  parallels: number[];
  issuance?: Issuance;
  log: (line: string) => void;
}): Promise<Record<string, { issuance: string; runs: ConformanceRun[]; medianMs: number }>> {
  const out: Record<string, { issuance: string; runs: ConformanceRun[]; medianMs: number }> = {};
  for (const n of o.parallels) {
    const runs: ConformanceRun[] = [];
    let issuance = o.issuance ?? 'default';
    for (let i = 0; i < o.runs; i++) {
      const t0 = Date.now();
      const args = [
        'run',
        '--routing',
        'both',
        '--parallel',
        String(n),
        ...(o.issuance ? ['--issuance', o.issuance] : []),
      ];
      const r = await execa('node', [o.bin, ...args], { reject: false });
      const run: ConformanceRun = { ms: Date.now() - t0, exitCode: r.exitCode ?? -1 };
      const dir = r.stdout.trim().split('\n').at(-1) ?? '';
      try {
        const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
          summary: unknown;
          environment: { issuance?: { profile: string } };
          scenarios: { id: string; routing: string; status: string; durationMs: number; message?: string }[];
        };
        issuance = report.environment.issuance?.profile ?? issuance;
        run.summary = report.summary;
        run.failed = report.scenarios
          .filter((s) => s.status === 'failed')
          .map((s) => `${s.id} [${s.routing}]: ${s.message ?? ''}`.slice(0, 300));
        run.scenarioSumMs = report.scenarios.reduce((a, s) => a + s.durationMs, 0);
        run.slowest = [...report.scenarios]
          .sort((a, b) => b.durationMs - a.durationMs)
          .slice(0, 5)
          .map((s) => ({ run: `${s.id} [${s.routing}]`, ms: s.durationMs }));
      } catch {
        run.failed = [`no report (exit ${r.exitCode}): ${r.stderr.split('\n').slice(-3).join(' | ')}`];
      }
      runs.push(run);
      o.log(
        `conformance --parallel ${n} run ${i + 1}: ${run.ms} ms, exit ${run.exitCode}, ${JSON.stringify(run.summary)}`,
      );
    }
    out[`parallel${n}`] = { issuance, runs, medianMs: median(runs.map((r) => r.ms)) };
  }
  return out;
}
