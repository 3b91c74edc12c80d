/**
 * Flakiness across the soak's runs, read from their report.json: a scenario that passed only on a retry (the
 * report's `flaky`, with its earlier attempts), and a check that needed more attempts than usual (its convergence
 * record's attempts, against the median of that check over the soak's runs; the record keeps at most 12 attempts,
 * so 12 reads as "12 or more").
 */
import type { Report } from '../harness/report/schema.ts';

export interface FlakyCheck {
  run: number;
  check: string;
  attempts: number;
  usual: number;
}

const attemptsOf = (evidence: unknown): number | undefined => {
  const a = (evidence as { attempts?: unknown } | undefined)?.attempts;
  return Array.isArray(a) ? a.length : undefined;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
};

/** Scenarios of one report that passed only on a retry. */
export function retriedScenarios(r: Report): string[] {
  return r.scenarios.filter((s) => s.flaky).map((s) => `${s.id} [${s.routing ?? s.suite ?? ''}]: ${s.flaky}`);
}

/** Checks that took more than twice their usual attempts, and at least 3 more (runs numbered from 1). */
export function slowChecks(reports: (Report | undefined)[]): FlakyCheck[] {
  const per = new Map<string, { run: number; attempts: number }[]>();
  reports.forEach((r, i) => {
    for (const s of r?.scenarios ?? [])
      for (const c of s.checks) {
        const n = attemptsOf(c.evidence);
        if (n === undefined) continue;
        const key = `${s.id} [${s.routing ?? s.suite ?? ''}] ${c.name}`;
        per.set(key, [...(per.get(key) ?? []), { run: i + 1, attempts: n }]);
      }
  });
  const out: FlakyCheck[] = [];
  for (const [check, xs] of per) {
    const usual = median(xs.map((x) => x.attempts));
    for (const x of xs) if (x.attempts > usual * 2 && x.attempts - usual >= 3) out.push({ check, ...x, usual });
  }
  return out;
}
