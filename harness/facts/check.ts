/**
 * The four facts for each host, from one read of the cluster: routing first (the others compare against what it
 * found), then metadata, DNS and TLS; then the endpoint (requests to the address DNS gave, or --edge) beside
 * them, and the routing fact cross-checked against what the edge answered. The network probes of a bounded number
 * of hosts run at once (each-host.ts).
 */
import type { X509Certificate } from 'node:crypto';
import type { Runner } from '../exec/runner.ts';
import type { Clients } from '../k8s/client.ts';
import { edgeAddresses } from './claimants.ts';
import { type ClusterView, readClusterView } from './cluster-view.ts';
import { crossCheckRouting, endpointWhilePending } from './cross-check.ts';
import { dnsFact } from './dns.ts';
import { type EndpointExpectation, endpointFact } from './endpoint.ts';
import { type EachHostOptions, eachHost } from './each-host.ts';
import { DOMAINS_SCHEMA, type DomainReport, type DomainsReport } from './fact.ts';
import { type AllHosts, mustHaveNamespace, routedHosts } from './hosts.ts';
import { type MetadataSource, metadataFact } from './metadata.ts';
import { routingFact, servingClaimant } from './routing.ts';
import { summarize } from './summary.ts';
import { tlsFact, trustRootCerts } from './tls.ts';
import { workloadOf } from './workload.ts';

/** Where the facts are established from. */
export interface FactTarget {
  k: Clients;
  run: Runner;
  metadata?: MetadataSource;
  /** The public resolver (ADDRESS[:PORT]) and whether it recurses. */
  resolver: { server: string; recurse: boolean };
  /** Edge addresses given by the user (--edge); otherwise read from Gateway/Ingress status. */
  edge?: string[];
  /** PEM file of the roots a served chain must lead to. */
  trustRoot: string;
  /** Network namespace the DNS, TLS and endpoint probes run in (the lab's internet host); absent: this machine. */
  netns?: string;
  /** The app's own health path and status (--path, --expect-status); default: `/`, any 2xx/3xx. */
  endpoint?: EndpointExpectation;
}

/** What one check reads once for all its hosts: the cluster, the platform's records, the trust roots. */
interface CheckInputs {
  view: ClusterView;
  metadata?: MetadataSource;
  roots: X509Certificate[];
}

async function checkHost(t: FactTarget, inputs: CheckInputs, host: string): Promise<DomainReport> {
  const t0 = Date.now();
  const { view } = inputs;
  const routing = routingFact(view, host);
  const metadata = metadataFact(inputs.metadata, host, view, routing.evidence);
  const published = edgeAddresses(view, routing.evidence.claimants);
  const edge = t.edge && t.edge.length > 0 ? { addresses: t.edge, from: ['--edge'] } : published;
  const given = t.edge && t.edge.length > 0 ? t.edge : undefined;
  const dnsDone = dnsFact(
    { run: t.run, netns: t.netns, server: t.resolver.server, recurse: t.resolver.recurse },
    host,
    edge,
  );
  const winner = servingClaimant(routing.evidence);
  const endpointDone = (given ? Promise.resolve(undefined) : dnsDone).then((d) =>
    endpointFact({
      run: t.run,
      netns: t.netns,
      host,
      addresses: given ?? d?.evidence.a.addresses ?? [],
      addressFrom: given ? '--edge' : `resolver ${t.resolver.server}`,
      trustRoot: t.trustRoot,
      deployment: metadata.evidence.deployment ?? winner?.backends[0]?.deployments[0],
      declaredRedirect: winner?.redirect,
      ...t.endpoint,
    }),
  );
  const [dns, tls, endpoint] = await Promise.all([
    dnsDone,
    tlsFact({
      run: t.run,
      netns: t.netns,
      host,
      edge: edge.addresses[0],
      trustRoot: t.trustRoot,
      roots: inputs.roots,
      view,
    }),
    endpointDone,
  ]);
  const facts = { metadata, routing: crossCheckRouting(routing, endpoint), dns, tls };
  const deployments = [
    metadata.evidence.deployment,
    ...(servingClaimant(routing.evidence)?.backends ?? []).flatMap((b) => b.deployments),
  ].filter((d): d is string => !!d);
  return {
    host,
    facts,
    endpoint: endpointWhilePending(endpoint, facts),
    workload: workloadOf(view, deployments),
    durationMs: Date.now() - t0,
  };
}

/**
 * The facts of `hosts` (names, or every routed host: hosts.ts), from one read of the cluster, at most
 * `o.concurrency` hosts at once (or `o.view`, a read the caller made).
 */
export async function checkDomains(
  t: FactTarget,
  hosts: string[] | AllHosts,
  o: EachHostOptions & { view?: ClusterView } = {},
): Promise<DomainsReport> {
  const namespace = Array.isArray(hosts) ? undefined : hosts.namespace;
  // A caller that has read the cluster already (capture: its objects and the check from one read) hands it in.
  const [view] = await Promise.all([o.view ?? readClusterView(t.k), namespace && mustHaveNamespace(t.k, namespace)]);
  const inputs: CheckInputs = {
    view,
    metadata: t.metadata && { origin: t.metadata.origin, records: t.metadata.records },
    roots: trustRootCerts(t.trustRoot),
  };
  const selected = Array.isArray(hosts)
    ? { hosts, notChecked: [] }
    : routedHosts(view, inputs.metadata?.records, namespace);
  const reports = await eachHost(selected.hosts, o, (h) => checkHost(t, inputs, h));
  return {
    schema: DOMAINS_SCHEMA,
    checkedAt: view.readAt,
    hosts: reports,
    summary: summarize(reports, selected.notChecked),
  };
}
