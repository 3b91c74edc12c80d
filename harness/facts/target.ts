/**
 * What `domains check` runs against, from its flags and the site the caller hands in (the running lab, made by
 * the embedded provider's fact-site.ts). With no --kubeconfig (or one for the site's own API server) it is the site:
 * its platform records, its public DNS, its ACME root, and probes from its internet host. Otherwise a real
 * cluster: the system resolver and CA bundle, probes from this machine. This layer knows no provider: a site is
 * plain data. Every input is checked before anything is probed; bad input is one line and exit 2, within 5 s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { kubeconfigServer, mustReachApi } from '../k8s/reach.ts';
import { parseServer, query } from '../probes/dns.ts';
import { pemBlocks } from '../probes/tls.ts';
import type { FactTarget } from './check.ts';
import { isHostname } from '../stack/app-fixture.ts';
import { labMetadataSource, loadMetadataSource } from './metadata.ts';
import { parseEndpointExpectation } from './endpoint.ts';

/** A place with a cluster of its own, and (with its routing stack) the sources a user of it has (FactSources). */
export interface FactSite {
  /** Used when no --kubeconfig is given; the sources apply when --kubeconfig names this same API server. */
  kubeconfig: string;
  apiServer: string;
  /** Absent: the site runs no routing stack. */
  sources?: FactSources;
}

/** Where a user of a site stands, and what they resolve and trust there. */
export interface FactSources {
  /** Folder of the platform's records (one JSON file per app, metadata.ts labMetadataSource). */
  metadataDir: string;
  /** The site's public DNS (ADDRESS[:PORT]); authoritative only, so asked without recursion. */
  publicResolver: string;
  /** PEM roots of the site's ACME CA. */
  trustRoot: string;
  /** The network namespace of the site's internet host, where the probes run; absent: this machine. */
  netns?: string;
  /** Ranges (CIDRs) reachable only from that namespace: a --resolver or --edge inside them is probed from there. */
  internetRanges: string[];
}

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

/** The namespace the probes of `addresses` run in: the site's internet host, if one lies in its internet ranges. */
export function probesNetns(sources: FactSources | undefined, addresses: string[]): string | undefined {
  if (!sources) return undefined;
  const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  const ranges = new BlockList();
  for (const cidr of sources.internetRanges) {
    const [net = '', bits = ''] = cidr.split('/');
    ranges.addSubnet(net, Number(bits), family(net));
  }
  return addresses.some((ip) => isIP(ip) !== 0 && ranges.check(ip, family(ip))) ? sources.netns : undefined;
}

export async function factTarget(o: DomainsCheckOptions, run: Runner, site?: FactSite): Promise<FactTarget> {
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
  if (!o.kubeconfig && !site)
    throw new SkyprobeError('no lab is running and no --kubeconfig was given', {
      hint: 'start the lab (skyprobe lab up --keep) or pass --kubeconfig FILE for a real cluster',
    });
  const kubeconfig = o.kubeconfig ?? (site as FactSite).kubeconfig;
  const server = kubeconfigServer(kubeconfig);
  const onSite = !o.kubeconfig || server === site?.apiServer ? site?.sources : undefined;
  await mustReachApi(kubeconfig, server);
  const k = clientsFor(kubeconfig);
  const base = onSite ? sourcesFactTarget(onSite, k, run) : undefined;
  const resolver = o.resolver
    ? { server: o.resolver, recurse: true }
    : (base?.resolver ?? { server: systemResolver(), recurse: true });
  const probed = [parseServer(resolver.server).address, ...(o.edge ?? [])];
  const netns = probesNetns(site?.sources, probed);
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

/** A site's sources as the place to check domains: its platform records, public DNS, ACME root, internet host. */
export function sourcesFactTarget(s: FactSources, k: Clients, run: Runner): FactTarget {
  return {
    k,
    run,
    metadata: labMetadataSource(s.metadataDir),
    resolver: { server: s.publicResolver, recurse: false },
    trustRoot: s.trustRoot,
    netns: s.netns,
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
