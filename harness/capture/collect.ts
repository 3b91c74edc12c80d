/**
 * Which objects belong to a host: the routes and Ingresses that claim it (claimants.ts), their parent Gateways
 * (only the listeners the host uses) and IngressClasses, the Services, EndpointSlices and Deployments behind
 * them and behind the platform's record, cert-manager's Certificates for the host with their CertificateRequests,
 * Orders and Challenges, and the issuers they name; plus the Secrets they name (by name only). Pure over a view.
 */
import { claimantsOf, hostMatches } from '../facts/claimants.ts';
import { type ClusterView, KINDS, type Kind, type Obj, ref } from '../facts/cluster-view.ts';
import type { PlatformRecord } from '../facts/metadata.ts';
import { objectRef } from './bundle.ts';

/** What `domains check` does not list but a capture needs: the issuers (cert-manager.io/v1) and Traefik's Middlewares (the legacy path's redirects). */
export interface IssuerLists {
  Issuer: Obj[];
  ClusterIssuer: Obj[];
  Middleware: Obj[];
}

/** The annotation by which an Ingress uses Traefik Middlewares (`<namespace>-<name>@kubernetescrd`, comma-separated). */
export const MIDDLEWARES_ANNOTATION = 'traefik.ingress.kubernetes.io/router.middlewares';

export interface HostObjects {
  objects: Obj[];
  /** Secrets named by the objects (namespace/name): the capture reads their type and public certificate. */
  secrets: { namespace: string; name: string }[];
  /** Listeners of other hosts left out of a Gateway (a Gateway of a large platform has many). */
  trimmedListeners: { gateway: string; count: number }[];
}

type Listener = { name: string; hostname?: string; tls?: { certificateRefs?: { name: string; namespace?: string }[] } };
const owners = (o: Obj) =>
  ((o.metadata as { ownerReferences?: { name: string }[] }).ownerReferences ?? []).map((r) => r.name);
const inNs = (list: Obj[], ns: string | undefined) => list.filter((o) => o.metadata.namespace === ns);

export function hostObjects(
  view: ClusterView,
  issuers: IssuerLists,
  host: string,
  record?: PlatformRecord,
): HostObjects {
  const picked = new Map<string, Obj>();
  const secrets = new Map<string, { namespace: string; name: string }>();
  const trimmedListeners: HostObjects['trimmedListeners'] = [];
  /** Items of a list carry no kind: each is given its own (issuers and Middlewares come with theirs). */
  const add = (o: Obj | undefined, kind?: Kind) => {
    if (!o) return;
    const typed = kind ? { ...o, apiVersion: KINDS[kind], kind } : o;
    picked.set(objectRef(typed), typed);
  };
  const secret = (namespace: string | undefined, name: string | undefined) =>
    namespace && name && secrets.set(`${namespace}/${name}`, { namespace, name });
  const find = (list: Obj[], r: string) => list.find((o) => ref(o) === r);

  const claimants = claimantsOf(view, host);
  for (const c of claimants) {
    const obj = find(c.kind === 'HTTPRoute' ? view.objects.HTTPRoute : view.objects.Ingress, c.ref);
    add(obj, c.kind);
    for (const p of c.parents) {
      const gw = find(view.objects.Gateway, p.gateway);
      if (!gw) continue;
      const all = (gw.spec?.listeners ?? []) as Listener[];
      const keep = all.filter(
        (l) => l.name === p.sectionName || (l.hostname ? hostMatches(l.hostname, host) : !p.sectionName),
      );
      const kept = picked.get(`Gateway ${ref(gw)}`);
      const merged = kept ? [...((kept.spec?.listeners ?? []) as Listener[]), ...keep] : keep;
      const unique = [...new Map(merged.map((l) => [l.name, l])).values()];
      add({ ...gw, spec: { ...gw.spec, listeners: unique } }, 'Gateway');
      const left = all.length - unique.length;
      const t = trimmedListeners.find((x) => x.gateway === p.gateway);
      if (t) t.count = left;
      else if (left > 0) trimmedListeners.push({ gateway: p.gateway, count: left });
      for (const l of unique)
        for (const cr of l.tls?.certificateRefs ?? []) secret(cr.namespace ?? gw.metadata.namespace, cr.name);
    }
    if (c.kind === 'Ingress') {
      for (const entry of (obj?.metadata.annotations?.[MIDDLEWARES_ANNOTATION] ?? '').split(','))
        add(
          issuers.Middleware.find((m) => `${m.metadata.namespace}-${m.metadata.name}@kubernetescrd` === entry.trim()),
        );
      const cls = view.objects.IngressClass.find((k) => k.metadata.name === c.ingress?.className);
      add(cls, 'IngressClass');
      for (const t of (obj?.spec?.tls ?? []) as { hosts?: string[]; secretName?: string }[])
        if ((t.hosts ?? []).some((h) => hostMatches(h, host))) secret(obj?.metadata.namespace, t.secretName);
    }
    for (const b of c.backends) {
      const [ns, name] = b.service.split('/') as [string, string];
      add(
        view.objects.Service.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
        'Service',
      );
      for (const s of inNs(view.objects.EndpointSlice, ns))
        if (s.metadata.labels?.['kubernetes.io/service-name'] === name) add(s, 'EndpointSlice');
      for (const d of b.deployments) add(find(view.objects.Deployment, d), 'Deployment');
    }
  }
  if (record) add(find(view.objects.Deployment, record.deployment), 'Deployment');

  const certs = view.objects.Certificate.filter(
    (c) => ((c.spec?.dnsNames ?? []) as string[]).some((n) => hostMatches(n, host)) || c.spec?.commonName === host,
  );
  for (const cert of certs) {
    add(cert, 'Certificate');
    secret(cert.metadata.namespace, cert.spec?.secretName);
    const ns = cert.metadata.namespace;
    const requests = inNs(view.objects.CertificateRequest, ns).filter(
      (r) => r.metadata.annotations?.['cert-manager.io/certificate-name'] === cert.metadata.name,
    );
    for (const r of requests) add(r, 'CertificateRequest');
    const orders = inNs(view.objects.Order, ns).filter((o) =>
      owners(o).some((n) => requests.some((r) => r.metadata.name === n)),
    );
    for (const o of orders) add(o, 'Order');
    for (const ch of inNs(view.objects.Challenge, ns))
      if (owners(ch).some((n) => orders.some((o) => o.metadata.name === n)) || ch.spec?.dnsName === host)
        add(ch, 'Challenge');
    const issuerRef = cert.spec?.issuerRef as { name?: string; kind?: string } | undefined;
    if (issuerRef?.name)
      add(
        issuerRef.kind === 'ClusterIssuer'
          ? issuers.ClusterIssuer.find((i) => i.metadata.name === issuerRef.name)
          : issuers.Issuer.find((i) => i.metadata.namespace === ns && i.metadata.name === issuerRef.name),
      );
  }
  // Issuers named by the shims' annotations on the routes, Ingresses and Gateways taken.
  for (const o of [...picked.values()]) {
    const a = o.metadata.annotations ?? {};
    if (a['cert-manager.io/cluster-issuer'])
      add(issuers.ClusterIssuer.find((i) => i.metadata.name === a['cert-manager.io/cluster-issuer']));
    if (a['cert-manager.io/issuer'])
      add(
        issuers.Issuer.find(
          (i) => i.metadata.namespace === o.metadata.namespace && i.metadata.name === a['cert-manager.io/issuer'],
        ),
      );
  }
  return { objects: [...picked.values()], secrets: [...secrets.values()], trimmedListeners };
}
