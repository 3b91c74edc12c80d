/** The readable form of a domains check: one block per host, a line per fact and the endpoint, the remedy under what failed. */
import { FACT_NAMES, type DomainsReport, type FactStatus } from './fact.ts';
import { renderSummary } from './render-summary.ts';

const COLOUR: Record<FactStatus | 'ready' | 'not ready', string> = {
  pass: '32',
  fail: '31',
  pending: '33',
  unknown: '90',
  ready: '32',
  'not ready': '33',
};

export function renderTable(r: DomainsReport, colour: boolean): string {
  const paint = (status: string, text: string) =>
    colour && status in COLOUR ? `\x1b[${COLOUR[status as FactStatus]}m${text}\x1b[0m` : text;
  const out: string[] = [];
  for (const h of r.hosts) {
    out.push(`${h.host}  (${(h.durationMs / 1000).toFixed(2)} s)`);
    for (const [name, f] of [...FACT_NAMES.map((n) => [n, h.facts[n]] as const), ['endpoint', h.endpoint] as const]) {
      out.push(`  ${name.padEnd(9)} ${paint(f.status, f.status.toUpperCase().padEnd(8))} ${f.summary}`);
      if (f.remediation) out.push(`  ${''.padEnd(9)} ${''.padEnd(8)} fix: ${f.remediation}`);
    }
    out.push(
      `  ${'workload'.padEnd(9)} ${paint(h.workload.status, h.workload.status.padEnd(8))} ${h.workload.summary} (reported apart: a ready workload is not a ready endpoint)`,
    );
    out.push('');
  }
  return out.join('\n') + renderSummary(r.summary);
}
