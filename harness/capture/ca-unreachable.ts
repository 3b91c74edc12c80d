/**
 * Which captured certificates were pending because their ACME server did not answer (pure, over a bundle). A
 * fault of the environment carries no object of its own, but it leaves marks on cert-manager's objects, and the
 * replay reproduces those hosts with an issuer whose server cannot be reached (replay-plan.ts), while the other
 * hosts of the same issuer keep a working one. A certificate counts when it is not Ready and either
 *   - the issuer it names is not Ready (Ready False: an account that could not be registered), or
 *   - one of its Orders has had no answer at all (no state, no URL) for ORDER_UNANSWERED_MS before the capture:
 *     an ACME server answers an order in well under a second, so an Order that old without a state was never
 *     answered (the mark a refused or timed-out connection leaves; cert-manager reports the error only in its log).
 * A pending certificate without either mark (e.g. captured a moment after it was made) is not reproduced as
 * unreachable: the lab issues it, and the replay reports the difference.
 */
import type { Obj } from '../facts/cluster-view.ts';
import { type CaptureBundle, objectRef } from './bundle.ts';

/** How long an Order may be without any answer from its ACME server before the server counts as unreachable. */
export const ORDER_UNANSWERED_MS = 20_000;

export interface UnansweredCertificate {
  /** Kind namespace/name of the Certificate. */
  certificate: string;
  /** The Secret it fills (namespace/name): how the Ingresses and listeners that use it are found. */
  secret: string;
  /** The issuer it names, as replay-plan.ts keys issuers (`ClusterIssuer/name`, `Issuer/namespace/name`). */
  issuer: string;
  /** What in the bundle shows the server did not answer. */
  evidence: string;
}

type Condition = { type?: string; status?: string; message?: string };
const condition = (o: Obj, type: string) =>
  ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
const owners = (o: Obj) =>
  ((o.metadata as { ownerReferences?: { name: string }[] }).ownerReferences ?? []).map((r) => r.name);

/** The key replay-plan.ts gives an issuer, from a Certificate's (or Order's) issuerRef in namespace `ns`. */
export function issuerKey(ref: { name?: string; kind?: string } | undefined, ns: string | undefined): string {
  const kind = ref?.kind ?? 'Issuer';
  return `${kind}/${kind === 'ClusterIssuer' ? '' : `${ns}/`}${ref?.name}`;
}

export function unansweredCertificates(b: CaptureBundle): UnansweredCertificate[] {
  const of = (kind: string) => b.objects.filter((o) => o.kind === kind);
  const capturedAt = Date.parse(b.capturedAt);
  const issuers = new Map(
    [...of('Issuer'), ...of('ClusterIssuer')].map((i) => [
      `${i.kind}/${i.kind === 'Issuer' ? `${i.metadata.namespace}/` : ''}${i.metadata.name}`,
      i,
    ]),
  );
  const out: UnansweredCertificate[] = [];
  for (const cert of of('Certificate')) {
    if (condition(cert, 'Ready')?.status === 'True') continue;
    const ns = cert.metadata.namespace;
    const issuer = issuerKey(cert.spec?.issuerRef as { name?: string; kind?: string }, ns);
    const base = {
      certificate: objectRef(cert),
      secret: `${ns}/${cert.spec?.secretName as string}`,
      issuer,
    };
    const i = issuers.get(issuer);
    const ready = i && condition(i, 'Ready');
    if (i && ready?.status === 'False') {
      out.push({ ...base, evidence: `${objectRef(i)} not Ready: ${ready.message ?? ''}` });
      continue;
    }
    const requests = of('CertificateRequest').filter(
      (r) =>
        r.metadata.namespace === ns &&
        r.metadata.annotations?.['cert-manager.io/certificate-name'] === cert.metadata.name,
    );
    const silent = of('Order')
      .filter((o) => o.metadata.namespace === ns && owners(o).some((n) => requests.some((r) => r.metadata.name === n)))
      .map((o) => ({ o, ageMs: capturedAt - new Date(o.metadata.creationTimestamp ?? Number.NaN).getTime() }))
      .find(({ o, ageMs }) => {
        const s = (o.status ?? {}) as { state?: string; url?: string };
        return !s.state && !s.url && ageMs >= ORDER_UNANSWERED_MS;
      });
    if (silent)
      out.push({
        ...base,
        evidence: `${objectRef(silent.o)} made ${Math.round(silent.ageMs / 1000)} s before the capture, never answered by the ACME server (no state, no URL)`,
      });
  }
  return out;
}
