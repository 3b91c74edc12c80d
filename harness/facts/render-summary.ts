/** The readable summary under a check's table: a line per judged element with its counts, then who did not pass. */
import type { DomainsSummary } from './fact.ts';

const counted = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ') || 'none';

export function renderSummary(s: DomainsSummary): string {
  const names = [...Object.keys(s.counts), 'workload'];
  const width = Math.max(...names.map((n) => n.length)) + 1;
  const out = [`summary: ${s.hosts} host(s)`];
  for (const [name, c] of Object.entries(s.counts)) out.push(`  ${`${name}:`.padEnd(width)} ${counted(c)}`);
  out.push(`  ${'workload:'.padEnd(width)} ${counted(s.workload)}`);
  const list = (title: string, hosts: DomainsSummary['failed']) => {
    if (hosts.length === 0) return;
    out.push(`${title} (${hosts.length}):`);
    for (const h of hosts) out.push(`  ${h.host}  ${h.elements.join(', ')}`);
  };
  list('failed', s.failed);
  list('pending', s.pending);
  if (s.notChecked.length > 0) {
    out.push(`not checked (${s.notChecked.length}; they name no single host: check a name they cover by name):`);
    for (const n of s.notChecked) out.push(`  ${n.name}  ${n.why}, claimed by ${n.claimedBy.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
