/**
 * What `domains check` runs against, from its flags. With no --kubeconfig (or one for the lab's own API server)
 * it is the running lab: the lab's platform records, its public DNS, Pebble's root, and probes from the lab's
 * internet host. Otherwise a real cluster: the system resolver and CA bundle, probes from this machine.
 * Every input is checked before anything is probed; bad input is one line and exit 2, within 5 s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { kubeconfigServer, mustReachApi } from '../k8s/reach.ts';
import { parseServer, query } from '../probes/dns.ts';
import { pemBlocks } from '../probes/tls.ts';
import { PUBLIC_DNS_IP, SEGMENTS } from '../providers/embedded/address-plan.ts';
import { liveLab } from '../providers/embedded/lab.ts';
import { stackPaths } from '../providers/embedded/stack.ts';
import type { LabState } from '../providers/embedded/state.ts';
import type { FactTarget } from './check.ts';
import { isHostname } from '../stack/app-fixture.ts';
import { labMetadataSource, loadMetadataSource } from './metadata.ts';
import { parseEndpointExpectation } from './endpoint.ts';

export interface DomainsCheckOptions {
  kubeconfig?: string;
  metadata?: string;
  resolver?: string;
  edge?: string[];
  ca?: string;
  /** The app's own health path and the status it answers there (the endpoint's requests). */
  path?: string;
  expectStatus?: string;
}

const SYSTEM_CA = '/etc/ssl/certs/ca-certificates.crt';

/** A hostname as DNS names it (RFC 1123, as app fixtures check it), lower-cased; anything else is bad input. */
export function parseHost(input: string): string {
  const h = input.trim().toLowerCase().replace(/\.$/, '');
  if (!isHostname(h))
    throw new SkyprobeError(`"${input}" is not a valid hostname`, {
      hint: 'give DNS names such as shop.example.com: letters, digits and hyphens, no scheme, port or path',
    });
  return h;
}

/** ADDRESS or ADDRESS:PORT or [V6]:PORT, for --resolver. */
export function parseResolver(input: string): string {
  const { address, port } = parseServer(input);
  if (!isIP(address) || (port !== undefined && (port < 1 || port > 65535)))
    throw new SkyprobeError(`--resolver "${input}" is not an IP address (with an optional :port)`, {
      hint: 'e.g. --resolver 198.51.100.53 or --resolver 127.0.0.1:5353',
    });
  return input;
}

const inLabInternet = (ip: string) =>
  [SEGMENTS.internet.cidr, SEGMENTS.lb.cidr].some((c) => ip.startsWith(c.split('.').slice(0, 3).join('.') + '.'));

export async function factTarget(
  o: DomainsCheckOptions,
  run: Runner,
  lab: LabState | undefined = liveLab(),
): Promise<FactTarget> {
  for (const e of o.edge ?? [])
    if (!isIP(e))
      throw new SkyprobeError(`--edge "${e}" is not an IP address`, {
        hint: 'give the address the host should resolve to, e.g. --edge 203.0.113.10',
      });
  if (o.resolver) parseResolver(o.resolver);
  const endpoint = parseEndpointExpectation(o);
  if (o.ca && (!existsSync(o.ca) || pemBlocks(readFileSync(o.ca, 'utf8')).length === 0))
    throw new SkyprobeError(`--ca ${o.ca} is not a readable PEM file of certificates`, {
      hint: 'give the root certificate(s) a served chain must lead to',
    });
  const given = o.metadata ? await loadMetadataSource(o.metadata) : undefined;
  if (!o.kubeconfig && !lab)
    throw new SkyprobeError('no lab is running and no --kubeconfig was given', {
      hint: 'start the lab (skyprobe lab up --keep) or pass --kubeconfig FILE for a real cluster',
    });
  const kubeconfig = o.kubeconfig ?? (lab as LabState).kubeconfig;
  const server = kubeconfigServer(kubeconfig);
  const onLab = lab?.stack && (!o.kubeconfig || server === lab.apiServer) ? lab : undefined;
  await mustReachApi(kubeconfig, server);
  const k = clientsFor(kubeconfig);
  const base = onLab ? labFactTarget(onLab, k, run) : undefined;
  const resolver = o.resolver
    ? { server: o.resolver, recurse: true }
    : (base?.resolver ?? { server: systemResolver(), recurse: true });
  const probed = [parseServer(resolver.server).address, ...(o.edge ?? [])];
  const netns = lab && probed.some(inLabInternet) ? lab.hosts.internet?.netns : undefined;
  const t: FactTarget = {
    k,
    run,
    metadata: given ?? base?.metadata,
    resolver,
    edge: o.edge,
    trustRoot: o.ca ?? base?.trustRoot ?? SYSTEM_CA,
    netns,
  };
  if (endpoint) t.endpoint = endpoint;
  if (o.resolver) {
    const soa = await query({ run, netns, server: o.resolver, recurse: true }, '.', 'SOA');
    if (soa.rcode === 'TIMEOUT')
      throw new SkyprobeError(`resolver ${o.resolver} did not answer (2 tries, 1 s each)`, {
        hint: 'check --resolver: the address, the port, and that it is reachable from here',
      });
  }
  return t;
}

/** The lab as a place to check domains: its platform records, its public DNS, Pebble's root, its internet host. */
export function labFactTarget(lab: LabState, k: Clients, run: Runner): FactTarget {
  const paths = stackPaths(lab.dir);
  return {
    k,
    run,
    metadata: labMetadataSource(paths.metadata),
    resolver: { server: PUBLIC_DNS_IP, recurse: false },
    trustRoot: paths.pebbleRoot,
    netns: lab.hosts.internet?.netns,
  };
}

function systemResolver(): string {
  const line = (existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '')
    .split('\n')
    .find((l) => /^\s*nameserver\s+\S+/.test(l));
  const server = line?.trim().split(/\s+/)[1];
  if (!server)
    throw new SkyprobeError('no resolver given and /etc/resolv.conf names none', { hint: 'pass --resolver ADDR' });
  return server;
}
