/**
 * HTTP from inside a lab namespace, with curl: how the harness reaches hosts the root namespace does not route
 * (the lab's internet side). Bounded: every request carries a timeout.
 */
import type { Runner } from '../../exec/runner.ts';

export interface NetnsHttpResult {
  status: number;
  body: string;
  error?: string;
}

export async function httpFromNetns(run: Runner, netns: string, url: string, opts: { cacert?: string; timeoutS?: number } = {}): Promise<NetnsHttpResult> {
  const args = ['netns', 'exec', netns, 'curl', '-sS', '-m', String(opts.timeoutS ?? 2), '-w', '\n%{http_code}', ...(opts.cacert ? ['--cacert', opts.cacert] : []), url];
  const res = await run('ip', args, { timeoutMs: ((opts.timeoutS ?? 2) + 2) * 1000 });
  const nl = res.output.lastIndexOf('\n');
  const status = Number(res.output.slice(nl + 1).trim());
  if (res.exitCode !== 0) return { status: 0, body: '', error: res.output.trim().split('\n')[0] };
  return { status, body: res.output.slice(0, Math.max(0, nl)) };
}
