/**
 * The ScenarioEnv of a kind run: ClusterEnv, plus the platform's deploy and a user on the internet, played from
 * this machine (no network namespace: kind's Docker network is routed from here). Everything a user's request
 * resolves goes through the run's public DNS container, never this machine's resolver; HTTPS and TLS trust
 * Pebble's root. On kind the node is the load balancer: lbIp and edgeIp are both its address. The embedded lab's
 * own hooks throw (needs: ['lab'] scenarios are skipped before they run); its data (lab, internet) is absent.
 */
import { isIP } from 'node:net';
import { SkyprobeError } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';
import { type DnsProbeContext, resolveChain } from '../../probes/dns.ts';
import { type NetnsHttpOptions, type NetnsHttpResult, httpFromNetns } from '../../probes/http.ts';
import { probeTls } from '../../probes/tls.ts';
import { clusterEnv } from './cluster-env.ts';
import { deployMembers, dnsProbes, userZones, withoutLabHooks } from './env-parts.ts';
import type { ScenarioEnv } from '../env.ts';
import type { ClusterHandle } from '../../providers/provider.ts';
import { kindDeployTarget } from '../../providers/kind/kind-provider.ts';
import { readRun } from '../../providers/kind/runs.ts';

export type KindEnv = Omit<ScenarioEnv, 'lab' | 'internet'>;

/** A URL's host and port, and whether the host is an address already (nothing to resolve). */
function hostPort(url: string): { host: string; port: string; literal: boolean } {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return { host, port: u.port || (u.protocol === 'https:' ? '443' : '80'), literal: isIP(host) !== 0 };
}

/** `env` locates the run's record (SKYPROBE_CACHE); the vitest worker inherits it from `skyprobe run`. */
export function kindEnv(h: ClusterHandle, run: Runner, env: NodeJS.ProcessEnv = process.env): KindEnv {
  const rec = readRun(h.id, env);
  if (!rec)
    throw new SkyprobeError(`no record of kind run ${h.id} on this machine`, {
      hint: 'the run that started the cluster writes it (skyprobe run --provider kind)',
    });
  const base = clusterEnv(h, run);
  const target = kindDeployTarget(rec, base.k); // throws unless the run is up (edge and public DNS known)
  const edgeIp = target.dns.lbIp;
  const publicDns = target.dns.nameserverIp;
  const pebbleRoot = rec.pebbleRoot;
  const dnsCtx: DnsProbeContext = { run, server: publicDns };

  /**
   * A user's request: the URL's host resolved through public DNS (CNAMEs followed; bounded: at most 8 questions,
   * each dig's 2 tries of 1 s), then curl told that address with --resolve. A caller that names the address
   * itself (opts.resolve) is asking about a host on purpose, resolvable or not: no lookup then.
   */
  async function http(url: string, opts: NetnsHttpOptions = {}): Promise<NetnsHttpResult> {
    const o: NetnsHttpOptions = { cacert: pebbleRoot, ...opts };
    const { host, port, literal } = hostPort(url);
    if (o.resolve || literal) return httpFromNetns(run, undefined, url, o);
    const r = await resolveChain(dnsCtx, host, 'A');
    const addr = r.addresses[0];
    if (!addr) {
      const last = r.answers.at(-1);
      return {
        status: 0,
        body: '',
        error: `${host} does not resolve at public DNS ${publicDns}: ${r.chain.join(' -> ')} A ${last?.rcode ?? 'no answer'}${last?.rcode === 'NOERROR' ? ' (no address)' : ''}`,
      };
    }
    return httpFromNetns(run, undefined, url, { ...o, resolve: `${host}:${port}:${addr}` });
  }

  return {
    ...base,
    ...withoutLabHooks('kind'),
    lbIp: edgeIp,
    edgeIp,
    publicDns,
    pebbleRoot,
    ...deployMembers(target),
    userDns: userZones(rec.zonesDir, publicDns, dnsCtx),
    http,
    dns: dnsProbes(dnsCtx),
    tls: (host) => probeTls(run, host, edgeIp, pebbleRoot),
  };
}
