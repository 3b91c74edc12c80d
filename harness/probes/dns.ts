/**
 * DNS probe: ask a named server, from inside a lab host, with dig. Returns the plain record of what the server
 * said (rcode, answers). cnameChain follows CNAMEs; caa applies RFC 8659's climb (the closest ancestor with a
 * CAA record set decides).
 */
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS, seconds } from '../timeouts.ts';

export interface DnsRecordAnswer {
  name: string;
  type: string;
  ttl: number;
  value: string;
}

export interface DnsAnswer {
  server: string;
  name: string;
  type: string;
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED, or TIMEOUT when no answer came. */
  rcode: string;
  answers: DnsRecordAnswer[];
}

export interface DnsProbeContext {
  run: Runner;
  /** Namespace the question is asked from (the internet host, or a pod); absent: this machine's own. */
  netns?: string;
  /** ADDRESS or ADDRESS:PORT ([v6]:PORT). */
  server: string;
  /** Ask for recursion (a recursive resolver); the lab's public DNS is authoritative and is asked without. */
  recurse?: boolean;
}

/** A server given as ADDRESS, ADDRESS:PORT or [V6]:PORT (a bare IPv6 address has no port). */
export function parseServer(server: string): { address: string; port?: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+):(\d+)$/.exec(server);
  return m ? { address: m[1] as string, ...(m[2] ? { port: Number(m[2]) } : {}) } : { address: server };
}

/** dig's arguments for a server. */
function serverArgs(server: string): string[] {
  const { address, port } = parseServer(server);
  return [`@${address}`, ...(port ? ['-p', String(port)] : [])];
}

export function parseDig(output: string): { rcode: string; answers: DnsRecordAnswer[] } {
  const rcode =
    /status: ([A-Z]+)/.exec(output)?.[1] ??
    (/timed out|no servers could be reached|connection refused/i.test(output) ? 'TIMEOUT' : 'UNKNOWN');
  const answers: DnsRecordAnswer[] = [];
  const section = /;; ANSWER SECTION:\n([\s\S]*?)(?:\n\n|$)/.exec(output)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.+)$/.exec(line.trim());
    if (m)
      answers.push({
        name: (m[1] as string).replace(/\.$/, ''),
        ttl: Number(m[2]),
        type: m[3] as string,
        value: (m[4] as string).replace(/\.$/, ''),
      });
  }
  return { rcode, answers };
}

export async function query(c: DnsProbeContext, name: string, type: string): Promise<DnsAnswer> {
  const dig = [
    'dig',
    `+time=${seconds(TIMEOUTS.digTry)}`,
    '+tries=2',
    c.recurse ? '+recurse' : '+norecurse',
    ...serverArgs(c.server),
    name,
    type,
  ];
  const res = c.netns
    ? await c.run('ip', ['netns', 'exec', c.netns, ...dig], { timeoutMs: TIMEOUTS.dig })
    : await c.run(dig[0] as string, dig.slice(1), { timeoutMs: TIMEOUTS.dig });
  const { rcode, answers } = parseDig(res.output);
  return { server: c.server, name, type, rcode, answers: answers.filter((a) => a.type === type || a.type === 'CNAME') };
}

/** Follow CNAMEs from `name` to its addresses of `type` (A or AAAA); at most 8 hops. */
export async function resolveChain(
  c: DnsProbeContext,
  name: string,
  type: 'A' | 'AAAA',
): Promise<{ chain: string[]; addresses: string[]; answers: DnsAnswer[] }> {
  const chain = [name];
  const answers: DnsAnswer[] = [];
  let current = name;
  for (let hop = 0; hop < 8; hop++) {
    const a = await query(c, current, type);
    answers.push(a);
    const direct = a.answers.filter((x) => x.type === type && x.name === current).map((x) => x.value);
    if (direct.length > 0) return { chain, addresses: direct, answers };
    const cname = a.answers.find((x) => x.type === 'CNAME' && x.name === current)?.value;
    if (!cname) return { chain, addresses: [], answers };
    chain.push(cname);
    current = cname;
  }
  return { chain, addresses: [], answers };
}

/** RFC 8659 §3: the CAA set that governs `name` is the first non-empty one climbing towards the root. */
export async function caa(
  c: DnsProbeContext,
  name: string,
): Promise<{ at?: string; records: string[]; answers: DnsAnswer[] }> {
  const labels = name.split('.');
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < labels.length - 1; i++) {
    const at = labels.slice(i).join('.');
    const a = await query(c, at, 'CAA');
    answers.push(a);
    const records = a.answers.filter((x) => x.type === 'CAA').map((x) => x.value);
    if (records.length > 0) return { at, records, answers };
  }
  return { records: [], answers };
}

/** Whether a CAA set lets `issuerDomain` issue (issue tags; an empty set allows everyone). */
export function caaAllows(records: string[], issuerDomain: string): boolean {
  const issue = records.map((r) => /^\d+\s+issue\s+"([^";]*)/.exec(r)?.[1]).filter((v): v is string => v !== undefined);
  return issue.length === 0 || issue.some((v) => v.trim() === issuerDomain);
}
