/**
 * Fact 4, TLS: what the edge serves for the host's SNI (valid now, covers the host, chains to the trust root),
 * cert-manager's Certificate for the host (Ready, renewal time; order and challenge while pending), and the
 * HTTP-01 path on :80 (while a challenge is in flight it must answer the challenge's key). TLS readiness is not
 * pod readiness: a pending certificate makes this fact `pending`, whatever the workload says.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Runner } from '../exec/runner.ts';
import { httpFromNetns } from '../probes/http.ts';
import { type CertInfo, certInfo, pemBlocks, servedChain } from '../probes/tls.ts';
import { TIMEOUTS, seconds } from '../timeouts.ts';
import { type CertificateState, certificateState } from './certificate.ts';
import type { ClusterView } from './cluster-view.ts';
import { type Fact, fact } from './fact.ts';

export interface TlsEvidence {
  edge?: string;
  trustRoot: string;
  served?: {
    chain: CertInfo[];
    validNow: boolean;
    coversHost: boolean;
    trusted: boolean;
    openssl?: string;
    error?: string;
  };
  certManager?: CertificateState;
  /**
   * What :80 answers on the HTTP-01 path. While a challenge is in flight: its token, and whether the answer is the
   * key (judged). Otherwise a probe token, recorded but not judged: during a challenge cert-manager's solver route,
   * more specific than the app's, takes the path, so an answer now (a redirect, a 404) proves nothing either way.
   */
  http01?: { url: string; status: number; location?: string; servesKey?: boolean; judged: boolean; error?: string };
}

export interface TlsFactInput {
  run: Runner;
  netns?: string;
  host: string;
  edge?: string;
  trustRoot: string;
  /** trustRoot's certificates, parsed once per check (trustRootCerts). */
  roots: X509Certificate[];
  view: ClusterView;
  now?: Date;
}

/** Whether the served chain leads to a certificate of the trust bundle (signatures checked, dates not). */
/** The certificates of a PEM trust bundle. */
export function trustRootCerts(file: string): X509Certificate[] {
  return pemBlocks(readFileSync(file, 'utf8')).map((p) => new X509Certificate(p));
}

export function chainsTo(served: X509Certificate[], roots: X509Certificate[]): boolean {
  let cur = served[0];
  for (let hop = 0; cur && hop < 8; hop++) {
    const c = cur;
    if (roots.some((r) => c.checkIssued(r) && c.verify(r.publicKey))) return true;
    cur = served.slice(1).find((x) => x !== c && c.checkIssued(x) && c.verify(x.publicKey));
  }
  return false;
}

export async function tlsFact(i: TlsFactInput): Promise<Fact<TlsEvidence>> {
  const now = i.now ?? new Date();
  const evidence: TlsEvidence = { edge: i.edge, trustRoot: i.trustRoot };
  const cm = certificateState(i.view, i.host);
  if (cm) evidence.certManager = cm;
  if (!i.edge)
    return fact(
      'unknown',
      'no edge address to connect to',
      evidence,
      'pass --edge IP, or check the Gateway/Ingress status address',
    );
  const challenge = cm?.challenge && !cm.ready ? cm.challenge : undefined;
  const pathUrl = `http://${i.host}/.well-known/acme-challenge/${challenge?.token ?? 'skyprobe-probe'}`;
  const [served, http01] = await Promise.all([
    servedChain(i.run, i.host, i.edge, i.trustRoot, { netns: i.netns, timeoutS: seconds(TIMEOUTS.tlsHandshake) }),
    httpFromNetns(i.run, i.netns, pathUrl, {
      resolve: `${i.host}:80:${i.edge}`,
      timeoutS: seconds(TIMEOUTS.httpRequest),
    }),
  ]);
  evidence.http01 = {
    url: pathUrl,
    status: http01.status,
    location: http01.location,
    judged: !!challenge,
    error: http01.error,
  };
  if (challenge) evidence.http01.servesKey = http01.status === 200 && http01.body.trim() === challenge.key;
  if (served.pems.length === 0) {
    evidence.served = { chain: [], validNow: false, coversHost: false, trusted: false, error: served.error };
    return fact(
      'unknown',
      `the edge ${served.target} did not serve a certificate for ${i.host}: ${served.error}`,
      evidence,
      'check that the edge (or --edge IP) answers on :443 from here',
    );
  }
  const x509 = served.pems.map((p) => new X509Certificate(p));
  const leaf = x509[0] as X509Certificate;
  const validNow = new Date(leaf.validFrom) <= now && now <= new Date(leaf.validTo);
  const coversHost = leaf.checkHost(i.host) !== undefined;
  const trusted = chainsTo(x509, i.roots);
  const chain = served.pems.map(certInfo);
  evidence.served = {
    chain,
    validNow,
    coversHost,
    trusted,
    openssl: served.verifyCode === undefined ? undefined : `${served.verifyCode} (${served.verifyText})`,
  };
  const leafInfo = chain[0] as CertInfo;

  if (cm && !cm.ready) {
    if (cm.failed)
      return fact(
        'fail',
        `certificate ${cm.certificate} is not Ready: ${cm.failed}`,
        evidence,
        `fix what the challenge reports, then: cmctl renew ${cm.certificate.replace('/', ' -n ')}`,
      );
    const steps = [
      cm.request && `request ${cm.request.name}`,
      cm.order && `order ${cm.order.state ?? 'pending'}`,
      cm.challenge &&
        `challenge ${cm.challenge.state ?? 'pending'}${cm.challenge.reason ? ` (${cm.challenge.reason.split('\n')[0]})` : ''}`,
    ].filter(Boolean);
    const path =
      evidence.http01?.judged && !evidence.http01.servesKey
        ? `; the HTTP-01 path answers ${evidence.http01.status || evidence.http01.error}${evidence.http01.location ? ` -> ${evidence.http01.location}` : ''}, not the key`
        : '';
    return fact(
      'pending',
      `certificate ${cm.certificate} not Ready yet${steps.length > 0 ? `: ${steps.join(', ')}` : ''}${path}`,
      evidence,
      path
        ? 'let /.well-known/acme-challenge/ through on :80 (no redirect before it)'
        : 'wait; if it stays pending, look at the challenge (kubectl describe challenge -A) and the ACME server',
    );
  }
  const problems: { summary: string; remedy: string }[] = [];
  if (!validNow)
    problems.push(
      new Date(leaf.validFrom) > now
        ? {
            summary: `the served certificate is not valid yet (from ${leafInfo.notBefore})`,
            remedy: "replace it with a certificate valid now (check the issuer's clock)",
          }
        : {
            summary: `the served certificate expired on ${leafInfo.notAfter}`,
            remedy: cm
              ? `renew it: cmctl renew ${cm.certificate.replace('/', ' -n ')}`
              : "renew the certificate in the route's TLS Secret",
          },
    );
  if (!coversHost)
    problems.push({
      summary: `the served certificate is for ${leafInfo.sans.join(', ') || leafInfo.subject}, not ${i.host}`,
      remedy: `serve a certificate whose SANs include ${i.host} (the listener's or Ingress's TLS Secret)`,
    });
  if (!trusted)
    problems.push({
      summary: `the served chain (issuer ${leafInfo.issuer}) does not lead to the trust root ${i.trustRoot}`,
      remedy:
        "serve a certificate from the platform's CA with its intermediates (or pass the right root with --ca FILE)",
    });
  if (problems.length === 0 && served.verifyCode !== 0)
    problems.push({
      summary: `openssl refuses the served chain: ${served.verifyCode} (${served.verifyText})`,
      remedy: 'serve a chain that verifies against the trust root',
    });
  if (problems.length > 0)
    return fact('fail', problems.map((p) => p.summary).join('; '), evidence, problems.map((p) => p.remedy).join('; '));
  const renewal = cm?.renewalTime
    ? `; renewal at ${cm.renewalTime}`
    : cm
      ? ''
      : '; no cert-manager Certificate names this host';
  return fact(
    'pass',
    `valid until ${leafInfo.notAfter}, covers ${i.host}, chains to the trust root${renewal}`,
    evidence,
  );
}
