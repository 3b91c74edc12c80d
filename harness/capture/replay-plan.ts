/**
 * How a bundle becomes objects and DNS in a lab (pure; `skyprobe lab replay` carries it out). What the source's
 * edge was becomes the lab's edge; what the source did NOT have stays as captured, so that a fault made of a
 * missing or wrong name (an IngressClass nobody serves, a Gateway that does not exist, an issuer never made)
 * fails the same way in the lab. Every mapping is listed, to be printed.
 *   Gateways of the source      -> the lab's Gateway (parentRefs rewritten; the host's listeners added to it)
 *   IngressClasses of the source -> the lab's IngressClass
 *   issuers of the source       -> the lab's Pebble ClusterIssuers (by solver: gatewayHTTPRoute or ingress)
 *   workloads                   -> the lab's echo backend (ports, probes, labels, env kept; command, volumes dropped)
 *   addresses of the source's edge -> the lab's load balancer; any other address -> a lab address where nothing answers
 *   certificates whose ACME server did not answer (ca-unreachable.ts) -> issuers of the lab whose server is a lab
 *     address where nothing answers: an Ingress's annotation or a Certificate's issuerRef names one, and a Gateway
 *     listener moves to a Gateway of its own on the same edge whose annotation names one (the shim's issuer is per
 *     Gateway); the other hosts of the same issuer keep the lab's Pebble
 * Applied: routes, Ingresses, Middlewares, Services, Deployments, and Certificates no shim owns. Evidence only
 * (the lab's controllers make their own): EndpointSlices, CertificateRequests, Orders, Challenges, and the
 * Certificates cert-manager's shims made from annotations.
 */
import type { Obj } from '../facts/cluster-view.ts';
import type { DnsRecord } from '../stack/public-dns.ts';
import { POD_IDENTITY_ENV } from '../stack/render.ts';
import { type CaptureBundle, objectRef } from './bundle.ts';
import { issuerKey, unansweredCertificates } from './ca-unreachable.ts';

export interface LabEdge {
  gateway: { namespace: string; name: string };
  ingressClass: string;
  issuers: { gateway: string; ingress: string };
  lbIp: string;
  /** Where "somewhere else" is in the lab: an address on the internet segment that nothing answers. */
  elsewhereIp: string;
  echoImage: string;
  /** The lab's Satusky zone: its records are Satusky's DNS automation's. */
  satuskyZone: string;
  /** What the replay makes for certificates whose ACME server did not answer: issuers (by solver) and a Gateway. */
  caDown: { issuers: { gateway: string; ingress: string }; gateway: string };
}

/** An issuer the replay makes: a copy of the lab's `like` whose ACME server is where nothing answers. */
export interface DownIssuer {
  name: string;
  like: string;
}

export interface ReplayPlan {
  namespaces: string[];
  objects: Obj[];
  /** Listeners to add to the lab's Gateway (by name; one already there is replaced). */
  listeners: Record<string, unknown>[];
  /** For certificates whose ACME server did not answer: the issuers to make, and the Gateway for their listeners. */
  caDown: {
    issuers: DownIssuer[];
    gateway?: { namespace: string; name: string; issuer: string; listeners: Record<string, unknown>[] };
  };
  /** Records per zone: the names listed in `names` are replaced by these records (none: the name answers nothing). */
  dns: { zone: string; names: string[]; records: DnsRecord[] }[];
  /** Platform records to write, one per deployment. */
  records: { deployment: string; hosts: string[] }[];
  /** One line per mapping made (printed by the replay). */
  mappings: string[];
  /** Captured objects not applied, and why. */
  notApplied: { object: string; why: string }[];
}

/** Where a stray AAAA points in the lab (RFC 3849 documentation prefix: nothing answers). */
export const STRAY_V6 = '2001:db8::99';

const APPLIED = new Set(['HTTPRoute', 'Ingress', 'Middleware', 'Service', 'Deployment', 'Certificate']);
const EVIDENCE_ONLY: Record<string, string> = {
  EndpointSlice: "the lab's EndpointSlice controller makes them from the Services",
  CertificateRequest: 'cert-manager makes its own in the lab',
  Order: 'cert-manager makes its own in the lab',
  Challenge: 'cert-manager makes its own in the lab',
  Gateway: "mapped onto the lab's Gateway (its listeners for these hosts are added there)",
  IngressClass: "mapped onto the lab's IngressClass",
  Issuer: "mapped onto the lab's Pebble ClusterIssuer",
  ClusterIssuer: "mapped onto the lab's Pebble ClusterIssuer",
};
type ListenerTls = { tls?: { certificateRefs?: { name: string; namespace?: string }[] } };
const owned = (o: Obj) => ((o.metadata as { ownerReferences?: unknown[] }).ownerReferences ?? []).length > 0;

/** The zone a record name falls in: the longest known zone that is a suffix of it, else its last two labels. */
export function zoneFor(name: string, zones: string[]): string {
  const fit = zones.filter((z) => name === z || name.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  return fit ?? name.split('.').slice(-2).join('.');
}

export function replayPlan(b: CaptureBundle, lab: LabEdge): ReplayPlan {
  const mappings: string[] = [];
  const notApplied: ReplayPlan['notApplied'] = [];
  const of = (kind: string) => b.objects.filter((o) => o.kind === kind);
  const gateways = new Set(of('Gateway').map((g) => `${g.metadata.namespace}/${g.metadata.name}`));
  const classes = new Set(of('IngressClass').map((c) => c.metadata.name));
  const labGateway = `${lab.gateway.namespace}/${lab.gateway.name}`;
  /** A captured issuer -> the lab's ClusterIssuer of the same kind of solver. */
  const issuerMap = new Map<string, string>();
  for (const i of [...of('Issuer'), ...of('ClusterIssuer')]) {
    const solvers = (i.spec?.acme?.solvers ?? []) as { http01?: { gatewayHTTPRoute?: unknown } }[];
    const to = solvers.some((s) => s.http01?.gatewayHTTPRoute) ? lab.issuers.gateway : lab.issuers.ingress;
    const key = `${i.kind}/${i.kind === 'Issuer' ? `${i.metadata.namespace}/` : ''}${i.metadata.name}`;
    issuerMap.set(key, to);
    mappings.push(`${objectRef(i)} -> ClusterIssuer ${to} (the lab's Pebble)`);
  }
  for (const g of gateways) if (g !== labGateway) mappings.push(`Gateway ${g} -> Gateway ${labGateway}`);
  // Certificates whose ACME server did not answer, by the Secret they fill.
  const down = new Map(unansweredCertificates(b).map((u) => [u.secret, u]));
  const downIssuers = new Map<string, DownIssuer>();
  /** The down counterpart of a captured issuer (by the lab issuer it maps to), made once. */
  const downIssuer = (key: string, why: string) => {
    const like = issuerMap.get(key) ?? lab.issuers.ingress;
    const name = like === lab.issuers.gateway ? lab.caDown.issuers.gateway : lab.caDown.issuers.ingress;
    if (!downIssuers.has(name)) downIssuers.set(name, { name, like });
    mappings.push(
      `${why} -> ClusterIssuer ${name} (a copy of ${like} whose ACME server is ${lab.elsewhereIp}, where nothing answers)`,
    );
    return name;
  };
  for (const u of down.values())
    mappings.push(`${u.certificate}: pending at capture with no answer from its ACME server (${u.evidence})`);
  for (const c of classes)
    if (c !== lab.ingressClass) mappings.push(`IngressClass ${c} -> IngressClass ${lab.ingressClass}`);

  const objects: Obj[] = [];
  for (const src of b.objects) {
    const kind = src.kind as string;
    if (!APPLIED.has(kind)) {
      notApplied.push({ object: objectRef(src), why: EVIDENCE_ONLY[kind] ?? 'not a kind the replay applies' });
      continue;
    }
    if (kind === 'Certificate' && owned(src)) {
      notApplied.push({
        object: objectRef(src),
        why: "made by cert-manager's shim from an annotation: the lab's shim makes it again",
      });
      continue;
    }
    const o = structuredClone(src) as Obj & { metadata: Record<string, unknown>; status?: unknown };
    delete o.status;
    delete o.metadata.creationTimestamp;
    delete o.metadata.ownerReferences;
    delete o.metadata.generation;
    const ann = o.metadata.annotations as Record<string, string> | undefined;
    if (ann?.['cert-manager.io/cluster-issuer']) {
      const to = issuerMap.get(`ClusterIssuer/${ann['cert-manager.io/cluster-issuer']}`);
      if (to) ann['cert-manager.io/cluster-issuer'] = to;
    }
    if (ann?.['cert-manager.io/issuer']) {
      const to = issuerMap.get(`Issuer/${o.metadata.namespace}/${ann['cert-manager.io/issuer']}`);
      if (to) {
        delete ann['cert-manager.io/issuer'];
        ann['cert-manager.io/cluster-issuer'] = to;
      }
    }
    if (kind === 'HTTPRoute')
      for (const p of (o.spec?.parentRefs ?? []) as { name: string; namespace?: string }[])
        if (gateways.has(`${p.namespace ?? o.metadata.namespace}/${p.name}`)) {
          p.name = lab.gateway.name;
          p.namespace = lab.gateway.namespace;
        }
    if (kind === 'Ingress') {
      const tls = (o.spec?.tls ?? []) as { secretName?: string }[];
      const hit = tls.map((t) => down.get(`${o.metadata.namespace}/${t.secretName}`)).find(Boolean);
      if (hit && ann) {
        ann['cert-manager.io/cluster-issuer'] = downIssuer(
          hit.issuer,
          `${objectRef(src)} (certificate ${hit.certificate})`,
        );
        delete ann['cert-manager.io/issuer'];
      }
      const spec = o.spec as { ingressClassName?: string };
      if (spec.ingressClassName && classes.has(spec.ingressClassName)) spec.ingressClassName = lab.ingressClass;
      if (ann?.['kubernetes.io/ingress.class'] && classes.has(ann['kubernetes.io/ingress.class']))
        ann['kubernetes.io/ingress.class'] = lab.ingressClass;
    }
    if (kind === 'Certificate') {
      const r = o.spec?.issuerRef as { name: string; kind?: string; group?: string } | undefined;
      const to =
        r &&
        issuerMap.get(`${r.kind ?? 'Issuer'}/${r.kind === 'ClusterIssuer' ? '' : `${o.metadata.namespace}/`}${r.name}`);
      const hit = down.get(`${o.metadata.namespace}/${o.spec?.secretName as string}`);
      const name = hit && r && downIssuer(issuerKey(r, src.metadata.namespace), objectRef(src));
      if (r && (name || to)) Object.assign(r, { name: name || to, kind: 'ClusterIssuer', group: 'cert-manager.io' });
    }
    if (kind === 'Service') {
      const spec = o.spec as Record<string, unknown>;
      for (const k of ['clusterIP', 'clusterIPs', 'healthCheckNodePort', 'ipFamilies', 'ipFamilyPolicy'])
        delete spec[k];
      if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') {
        mappings.push(`${objectRef(src)}: type ${spec.type} -> ClusterIP (the lab's edge is the load balancer)`);
        spec.type = 'ClusterIP';
        for (const p of (spec.ports ?? []) as Record<string, unknown>[]) delete p.nodePort;
      }
    }
    if (kind === 'Deployment') {
      const pod = o.spec?.template?.spec as Record<string, unknown> & {
        containers: {
          name: string;
          image: string;
          command?: unknown;
          args?: unknown;
          volumeMounts?: unknown;
          ports?: { containerPort: number }[];
          env?: { name: string; value?: string; valueFrom?: unknown }[];
        }[];
      };
      const images = pod.containers.map((c) => c.image);
      delete pod.initContainers;
      delete pod.volumes;
      delete pod.serviceAccountName;
      delete pod.imagePullSecrets;
      for (const c of pod.containers) {
        c.image = lab.echoImage;
        delete c.command;
        delete c.args;
        delete c.volumeMounts;
        const port = c.ports?.[0]?.containerPort;
        if (port && !(c.env ?? []).some((e) => e.name === 'PORT'))
          c.env = [...(c.env ?? []), { name: 'PORT', value: String(port) }];
        // the echo backend names the replica that answered from the downward API, as the source's pods are named
        const named = new Set((c.env ?? []).map((e) => e.name));
        c.env = [...(c.env ?? []), ...POD_IDENTITY_ENV.filter((e) => !named.has(e.name))];
      }
      mappings.push(`${objectRef(src)}: ${images.join(', ')} -> ${lab.echoImage} (ports, probes, labels and env kept)`);
    }
    objects.push(o);
  }

  // The host's listeners on the source's Gateways become listeners of the lab's Gateway, or of the Gateway whose
  // issuer cannot reach its ACME server when their certificate's could not.
  const listeners = new Map<string, Record<string, unknown>>();
  const downListeners = new Map<string, Record<string, unknown>>();
  let downGatewayIssuer = '';
  for (const g of of('Gateway'))
    for (const l of (g.spec?.listeners ?? []) as (Record<string, unknown> & ListenerTls)[]) {
      if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') continue;
      const cr = l.tls?.certificateRefs?.[0];
      const hit = cr && down.get(`${cr.namespace ?? g.metadata.namespace}/${cr.name}`);
      if (!hit) {
        listeners.set(l.name as string, structuredClone(l));
        continue;
      }
      downListeners.set(l.name as string, structuredClone(l));
      downGatewayIssuer = downIssuer(hit.issuer, `listener ${l.name} (certificate ${hit.certificate})`);
    }
  for (const name of listeners.keys()) mappings.push(`listener ${name} -> Gateway ${labGateway}`);
  const downGateway = `${lab.gateway.namespace}/${lab.caDown.gateway}`;
  for (const name of downListeners.keys())
    mappings.push(`listener ${name} -> Gateway ${downGateway} (same edge; its certificates from ${downGatewayIssuer})`);
  for (const o of objects)
    if (o.kind === 'HTTPRoute')
      for (const p of (o.spec?.parentRefs ?? []) as { name: string; namespace?: string; sectionName?: string }[])
        if (p.name === lab.gateway.name && p.sectionName && downListeners.has(p.sectionName))
          p.name = lab.caDown.gateway;

  const namespaces = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
  return {
    namespaces,
    objects,
    listeners: [...listeners.values()],
    caDown: {
      issuers: [...downIssuers.values()],
      ...(downListeners.size > 0
        ? {
            gateway: {
              namespace: lab.gateway.namespace,
              name: lab.caDown.gateway,
              issuer: downGatewayIssuer,
              listeners: [...downListeners.values()],
            },
          }
        : {}),
    },
    dns: dnsPlan(b, lab, mappings),
    records: recordsOf(b),
    mappings,
    notApplied,
  };
}

/** The captured answers as zone records, addresses mapped; each captured name is replaced whole. */
function dnsPlan(b: CaptureBundle, lab: LabEdge, mappings: string[]): ReplayPlan['dns'] {
  const zones = [...new Set(b.hosts.map((h) => h.dns.zone).filter((z): z is string => !!z)), lab.satuskyZone];
  const byZone = new Map<string, { names: Set<string>; records: Map<string, DnsRecord> }>();
  const mapped = new Map<string, string>();
  const address = (ip: string) => {
    const to = b.source.edge.includes(ip) ? lab.lbIp : lab.elsewhereIp;
    if (!mapped.has(ip)) {
      mapped.set(ip, to);
      mappings.push(
        `address ${ip} -> ${to} (${to === lab.lbIp ? "the source's edge: the lab's load balancer" : 'somewhere else: nothing answers there in the lab'})`,
      );
    }
    return to;
  };
  for (const h of b.hosts)
    for (const answer of [...h.dns.a, ...h.dns.aaaa, ...h.dns.caa]) {
      const zone = zoneFor(answer.name, zones);
      const z = byZone.get(zone) ?? { names: new Set(), records: new Map() };
      byZone.set(zone, z);
      z.names.add(answer.name);
      for (const r of answer.answers) {
        const inZone = zoneFor(r.name, zones);
        const zz = byZone.get(inZone) ?? { names: new Set(), records: new Map() };
        byZone.set(inZone, zz);
        zz.names.add(r.name);
        if (r.type === 'AAAA') {
          // The lab's edge has no IPv6 address: an AAAA of the source's edge has no counterpart (dropped, listed);
          // any other stays stray, on a documentation address nobody answers.
          if (b.source.edge.includes(r.value)) {
            if (!mapped.has(r.value)) {
              mapped.set(r.value, '');
              mappings.push(`address ${r.value} -> dropped (the lab's edge has no IPv6 address)`);
            }
          } else zz.records.set(`${r.name} AAAA`, { name: r.name, type: 'AAAA', value: STRAY_V6, ttl: r.ttl });
          continue;
        }
        const value = r.type === 'A' ? address(r.value) : r.value;
        const type = r.type as DnsRecord['type'];
        zz.records.set(`${r.name} ${type} ${value}`, { name: r.name, type, value, ttl: r.ttl });
      }
    }
  return [...byZone.entries()].map(([zone, z]) => ({ zone, names: [...z.names], records: [...z.records.values()] }));
}

function recordsOf(b: CaptureBundle): ReplayPlan['records'] {
  const out = new Map<string, Set<string>>();
  for (const h of b.hosts)
    if (h.record) {
      const hosts = out.get(h.record.deployment) ?? new Set();
      for (const x of h.record.hosts) hosts.add(x);
      out.set(h.record.deployment, hosts);
    }
  return [...out.entries()].map(([deployment, hosts]) => ({ deployment, hosts: [...hosts] }));
}
