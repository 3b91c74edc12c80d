/**
 * `skyprobe capture`: for each host, the objects `domains check` reads (collect.ts), trimmed and redacted
 * (redact.ts), the public DNS answers as the resolver gave them, the platform's record, and the host's check at
 * that moment; Secrets by name and type only (a TLS Secret's certificate: public fields). Read-only: get and
 * list, like `domains check`.
 */
import { X509Certificate } from 'node:crypto';
import { bounded } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import { claimantsOf } from '../facts/claimants.ts';
import { type FactTarget, checkDomains } from '../facts/check.ts';
import { type Obj, readClusterView } from '../facts/cluster-view.ts';
import type { DnsEvidence } from '../facts/dns.ts';
import { apiStatus } from '../k8s/client.ts';
import { kubeconfigServer } from '../k8s/reach.ts';
import { type DnsProbeContext, caa, query, resolveChain } from '../probes/dns.ts';
import { type CertInfo, certInfo, pemBlocks } from '../probes/tls.ts';
import { TIMEOUTS } from '../timeouts.ts';
import {
  CAPTURE_SCHEMA,
  type CaptureBundle,
  type CapturedHost,
  type DnsCapture,
  type Redaction,
  type SecretStub,
  objectRef,
} from './bundle.ts';
import { type IssuerLists, hostObjects } from './collect.ts';
import { scrub } from './redact.ts';

/** The zone a name is in: the closest ancestor (or itself) whose SOA the resolver answers (bounded by its labels). */
export async function zoneOf(c: DnsProbeContext, name: string): Promise<string | undefined> {
  const labels = name.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const at = labels.slice(i).join('.');
    const soa = await query(c, at, 'SOA');
    if (soa.answers.some((a) => a.type === 'SOA' && a.name === at)) return at;
    if (soa.rcode === 'TIMEOUT') return undefined;
  }
  return undefined;
}

async function dnsCapture(c: DnsProbeContext, host: string): Promise<DnsCapture> {
  const [a, aaaa, caaSet, zone] = await Promise.all([
    resolveChain(c, host, 'A'),
    resolveChain(c, host, 'AAAA'),
    caa(c, host),
    zoneOf(c, host),
  ]);
  return { resolver: c.server, zone, a: a.answers, aaaa: aaaa.answers, caa: caaSet.answers };
}

async function listIssuers(t: FactTarget): Promise<IssuerLists> {
  const list = async (kind: keyof IssuerLists, apiVersion = 'cert-manager.io/v1') => {
    try {
      const l = (await bounded(
        `the Kubernetes API (list ${kind})`,
        t.k.objects.list(apiVersion, kind),
        TIMEOUTS.apiList,
      )) as { items: Obj[] };
      return l.items.map((i) => ({ ...i, apiVersion, kind }));
    } catch (err) {
      if (typeof apiStatus(err) === 'number') return [];
      throw err;
    }
  };
  const [Issuer, ClusterIssuer, Middleware] = await Promise.all([
    list('Issuer'),
    list('ClusterIssuer'),
    list('Middleware', 'traefik.io/v1alpha1'),
  ]);
  return { Issuer, ClusterIssuer, Middleware };
}

/** A Secret by name, type and (TLS) the public fields of tls.crt; its data leaves this function as nothing else. */
async function secretStub(t: FactTarget, namespace: string, name: string): Promise<SecretStub> {
  try {
    const s = await bounded(
      `the Kubernetes API (get Secret ${namespace}/${name})`,
      t.k.core.readNamespacedSecret({ name, namespace }),
      TIMEOUTS.apiList,
    );
    const stub: SecretStub = { namespace, name, type: s.type ?? 'Opaque' };
    const crt = s.data?.['tls.crt'];
    if (crt) {
      const chain: CertInfo[] = [];
      for (const pem of pemBlocks(Buffer.from(crt, 'base64').toString('utf8'))) {
        try {
          new X509Certificate(pem);
          chain.push(certInfo(pem));
        } catch {
          // not a certificate: nothing public to keep
        }
      }
      stub.certificate = chain;
    }
    return stub;
  } catch (err) {
    const status = apiStatus(err);
    return { namespace, name, type: status === 404 ? 'missing' : `unreadable (${status ?? 'error'})` };
  }
}

/** Gateways met through several hosts: one object with the union of the listeners each host kept. */
function mergeObject(into: Map<string, Obj>, o: Obj): void {
  const key = objectRef(o);
  const had = into.get(key);
  if (had && o.kind === 'Gateway') {
    const listeners = [...(had.spec?.listeners ?? []), ...(o.spec?.listeners ?? [])] as { name: string }[];
    into.set(key, {
      ...had,
      spec: { ...had.spec, listeners: [...new Map(listeners.map((l) => [l.name, l])).values()] },
    });
  } else if (!had) into.set(key, o);
}

export async function capture(t: FactTarget, hosts: string[], kubeconfig: string): Promise<CaptureBundle> {
  // One read of the cluster for both the objects kept and the check recorded beside them.
  const [view, issuers] = await Promise.all([readClusterView(t.k), listIssuers(t)]);
  const records = t.metadata?.records ?? [];
  const unknown = hosts.filter((h) => claimantsOf(view, h).length === 0 && !records.some((r) => r.hosts.includes(h)));
  if (unknown.length > 0)
    throw new SkyprobeError(
      `unknown host${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: no HTTPRoute or Ingress claims it and no platform record names it`,
      { hint: 'check the spelling, or `skyprobe domains check --all` to list the hosts this cluster routes' },
    );
  const report = await checkDomains(t, hosts, { view });
  const objects = new Map<string, Obj>();
  const secretRefs = new Map<string, { namespace: string; name: string }>();
  const trimmed: Redaction[] = [];
  const captured: CapturedHost[] = [];
  const dnsCtx: DnsProbeContext = {
    run: t.run,
    netns: t.netns,
    server: t.resolver.server,
    recurse: t.resolver.recurse,
  };
  const dns = await Promise.all(hosts.map((h) => dnsCapture(dnsCtx, h)));
  hosts.forEach((host, i) => {
    const record = records.find((r) => r.hosts.includes(host));
    const got = hostObjects(view, issuers, host, record);
    for (const o of got.objects) mergeObject(objects, o);
    for (const s of got.secrets) secretRefs.set(`${s.namespace}/${s.name}`, s);
    for (const l of got.trimmedListeners)
      trimmed.push({
        object: `Gateway ${l.gateway}`,
        path: 'spec.listeners',
        reason: `${l.count} listener(s) of other hosts left out`,
      });
    captured.push({
      host,
      objects: got.objects.map(objectRef),
      dns: dns[i] as DnsCapture,
      ...(record ? { record } : {}),
      check: report.hosts[i] as CapturedHost['check'],
    });
  });
  const redactions: Redaction[] = [...trimmed];
  const scrubbed = [...objects.values()].map((o) => {
    const s = scrub(o);
    redactions.push(...s.redactions);
    return s.object;
  });
  const secrets = await Promise.all([...secretRefs.values()].map((s) => secretStub(t, s.namespace, s.name)));
  const edge =
    t.edge && t.edge.length > 0
      ? t.edge
      : [...new Set(report.hosts.flatMap((h) => (h.facts.dns.evidence as DnsEvidence).edge.addresses))];
  return {
    schema: CAPTURE_SCHEMA,
    capturedAt: report.checkedAt,
    source: {
      apiServer: kubeconfigServer(kubeconfig),
      resolver: t.resolver.server,
      edge,
      ...(t.metadata ? { metadata: t.metadata.origin } : {}),
    },
    hosts: captured,
    objects: scrubbed,
    secrets,
    redactions,
    missing: [...view.missing, ...Object.keys(view.errors)],
  };
}
