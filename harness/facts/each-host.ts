/**
 * Checking many hosts with bounded concurrency (p-limit): at most `concurrency` hosts are probed at once, results
 * in the hosts' order, and a callback after each host. Each host's own probes are bounded in time (dig 2 x 1 s,
 * openssl 4 s), so a check of N hosts ends within about N / concurrency times the slowest host.
 */
import pLimit from 'p-limit';
import { SkyprobeError } from '../errors.ts';

/**
 * Hosts probed at once by default. Measured on this 2-core machine, 201 routed hosts (docs/architecture.md,
 * Measured): the probes are CPU-bound there, so from 2 to 32 at once the whole check takes ~12 s (~17 hosts/s)
 * while one host's check grows with the number in flight (0.4 s at 8, 0.8 s at 16, 1.7 s at 32, nearing dig's
 * 1 s per try). 8 is at full throughput with each host far inside its probes' bounds.
 */
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 256;

export interface EachHostOptions {
  concurrency?: number;
  /** After each host (and once at the start with done = 0). */
  onProgress?: (done: number, total: number) => void;
}

export async function eachHost<T>(
  hosts: string[],
  o: EachHostOptions,
  check: (host: string) => Promise<T>,
): Promise<T[]> {
  const limit = pLimit(o.concurrency ?? DEFAULT_CONCURRENCY);
  let done = 0;
  o.onProgress?.(0, hosts.length);
  return limit.map(hosts, async (h) => {
    const r = await check(h);
    o.onProgress?.(++done, hosts.length);
    return r;
  });
}

/** --concurrency N: a whole number from 1 to 256. */
export function parseConcurrency(input: string): number {
  const n = Number(input);
  if (!/^\d+$/.test(input.trim()) || n < 1 || n > MAX_CONCURRENCY)
    throw new SkyprobeError(`--concurrency "${input}" is not a whole number from 1 to ${MAX_CONCURRENCY}`, {
      hint: `e.g. --concurrency ${DEFAULT_CONCURRENCY} (hosts probed at once)`,
    });
  return n;
}
