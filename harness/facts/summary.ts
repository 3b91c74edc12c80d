/**
 * The summary at the end of a check: per judged element (fact.ts JUDGED: the four facts and the endpoint), how
 * many hosts had each status, and which hosts did not pass. Counted from the host results only, so it cannot
 * disagree with them.
 */
import {
  type DomainReport,
  type DomainsSummary,
  type FactStatus,
  JUDGED,
  type JudgedElement,
  type NotChecked,
  type Workload,
} from './fact.ts';

const STATUSES: FactStatus[] = ['pass', 'fail', 'pending', 'unknown'];
const WORKLOAD: Workload['status'][] = ['ready', 'not ready', 'unknown'];
const zeros = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function summarize(
  hosts: DomainReport[],
  notChecked: NotChecked[] = [],
  judged: JudgedElement[] = JUDGED,
): DomainsSummary {
  const counts: DomainsSummary['counts'] = Object.fromEntries(judged.map((e) => [e.name, zeros(STATUSES)]));
  const workload = zeros(WORKLOAD);
  const failed: DomainsSummary['failed'] = [];
  const pending: DomainsSummary['pending'] = [];
  for (const h of hosts) {
    const seen = judged.flatMap((e) => {
      const s = e.status(h);
      return s === undefined ? [] : [{ name: e.name, status: s }];
    });
    for (const { name, status } of seen) (counts[name] as Record<FactStatus, number>)[status]++;
    workload[h.workload.status]++;
    const bad = seen.filter((x) => x.status === 'fail' || x.status === 'unknown').map((x) => x.name);
    const waiting = seen.filter((x) => x.status === 'pending').map((x) => x.name);
    if (bad.length > 0) failed.push({ host: h.host, elements: bad });
    else if (waiting.length > 0) pending.push({ host: h.host, elements: waiting });
  }
  return { hosts: hosts.length, counts, workload, failed, pending, notChecked };
}
