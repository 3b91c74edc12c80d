/**
 * cert-manager's view of a host, as `cmctl status certificate` shows it: the Certificate that names the host,
 * its Ready condition and renewal time, and when it is not ready, the latest CertificateRequest, its ACME Order
 * and the host's Challenge (state, reason, whether it is presented).
 */
import { type ClusterView, type Condition, type Obj, conditionsOf, isTrue, ref } from './cluster-view.ts';

export interface CertificateState {
  certificate: string;
  ready: boolean;
  conditions: Condition[];
  secretName?: string;
  notAfter?: string;
  renewalTime?: string;
  /** cert-manager gave up for now (a failed issuance, an invalid challenge, an errored order). */
  failed?: string;
  request?: { name: string; conditions: Condition[] };
  order?: { name: string; state?: string; reason?: string };
  challenge?: { name: string; state?: string; reason?: string; presented?: boolean; token: string; key: string };
}

const newest = (list: Obj[]) =>
  [...list].sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))[0];

export function certificateState(view: ClusterView, host: string): CertificateState | undefined {
  const cert = newest(
    view.objects.Certificate.filter(
      (c) => ((c.spec?.dnsNames ?? []) as string[]).includes(host) || c.spec?.commonName === host,
    ),
  );
  if (!cert) return undefined;
  const ns = cert.metadata.namespace;
  const conditions = conditionsOf(cert.status);
  const out: CertificateState = {
    certificate: ref(cert),
    ready: isTrue(conditions, 'Ready'),
    conditions,
    secretName: cert.spec?.secretName,
    notAfter: cert.status?.notAfter,
    renewalTime: cert.status?.renewalTime,
  };
  if (out.ready) return out;
  if (cert.status?.lastFailureTime)
    out.failed = `issuance failed at ${cert.status.lastFailureTime} (${conditions.find((c) => c.type === 'Issuing')?.message ?? conditions.find((c) => c.type === 'Ready')?.message ?? 'no message'})`;
  const owned = (list: Obj[], owner: string) =>
    list.filter(
      (o) =>
        o.metadata.namespace === ns &&
        ((o.metadata as { ownerReferences?: { name: string }[] }).ownerReferences ?? []).some((r) => r.name === owner),
    );
  const cr = newest(
    view.objects.CertificateRequest.filter(
      (r) =>
        r.metadata.namespace === ns &&
        r.metadata.annotations?.['cert-manager.io/certificate-name'] === cert.metadata.name,
    ),
  );
  if (cr) out.request = { name: cr.metadata.name, conditions: conditionsOf(cr.status) };
  const order = cr ? newest(owned(view.objects.Order, cr.metadata.name)) : undefined;
  if (order) out.order = { name: order.metadata.name, state: order.status?.state, reason: order.status?.reason };
  const ch = newest(
    view.objects.Challenge.filter(
      (c) =>
        c.metadata.namespace === ns &&
        c.spec?.dnsName === host &&
        (!order ||
          ((c.metadata as { ownerReferences?: { name: string }[] }).ownerReferences ?? []).some(
            (r) => r.name === order.metadata.name,
          )),
    ),
  );
  if (ch)
    out.challenge = {
      name: ch.metadata.name,
      state: ch.status?.state,
      reason: ch.status?.reason,
      presented: ch.status?.presented,
      token: ch.spec?.token,
      key: ch.spec?.key,
    };
  if (out.challenge?.state === 'invalid')
    out.failed = `challenge ${out.challenge.name} is invalid: ${out.challenge.reason ?? 'no reason'}`;
  else if (out.order && ['invalid', 'errored'].includes(out.order.state ?? ''))
    out.failed = `order ${out.order.name} is ${out.order.state}: ${out.order.reason ?? 'no reason'}`;
  return out;
}
