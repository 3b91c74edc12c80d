/**
 * What a captured object keeps: its spec, labels, annotations and status, without the server's bookkeeping
 * (uid, resourceVersion, managedFields) and without anything that looks like a credential. A name that says
 * secret (token, password, key, ...) or a value shaped like one (a JWT, a PEM private key, a bearer header, a URL
 * with a password, a long random-looking string) is replaced by REDACTED and the removal listed. Env entries that
 * point at a Secret (`valueFrom`) are kept: they are references, not values.
 */
import type { Obj } from '../facts/cluster-view.ts';
import { type Redaction, objectRef } from './bundle.ts';

export const REDACTED = '[redacted by skyprobe capture]';

const SECRET_NAME =
  /(token|passw|secret|credential|api[-_]?key|private[-_]?key|access[-_]?key|auth|session|cookie|signing)/i;
/** Annotation keys that name secret things but hold none (cert-manager and Kubernetes references by name). */
const SAFE_KEYS = /^(cert-manager\.io\/|acme\.cert-manager\.io\/|kubernetes\.io\/service-account\.name$)/;

/** Why a value looks like a credential, or undefined. */
export function credentialShape(value: string): string | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return 'a PEM private key';
  if (/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/.test(value)) return 'a JSON Web Token';
  if (/\b(bearer|basic)\s+[\w\-.~+/=]{12,}/i.test(value)) return 'an authorization header';
  if (/[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return 'a URL with a password';
  if (/^[A-Za-z0-9+/=_-]{32,}$/.test(value) && /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value))
    return 'a long random-looking string';
  return undefined;
}

const DROPPED_METADATA = ['uid', 'resourceVersion', 'managedFields', 'selfLink', 'generateName'];

/** A copy of `o` fit for a bundle, and what was taken out of it. Pure. */
export function scrub(o: Obj): { object: Obj; redactions: Redaction[] } {
  const object = structuredClone(o) as Obj & { metadata: Record<string, unknown> };
  const where = objectRef(o);
  const redactions: Redaction[] = [];
  const cut = (path: string, reason: string) => redactions.push({ object: where, path, reason });
  for (const k of DROPPED_METADATA) delete object.metadata[k];
  const annotations = object.metadata.annotations as Record<string, string> | undefined;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (k === 'kubectl.kubernetes.io/last-applied-configuration') {
      delete (annotations as Record<string, string>)[k];
      cut(`metadata.annotations.${k}`, 'a second copy of the object (it may hold what is redacted elsewhere)');
      continue;
    }
    const shape = credentialShape(v);
    if (shape || (!SAFE_KEYS.test(k) && SECRET_NAME.test(k))) {
      (annotations as Record<string, string>)[k] = REDACTED;
      cut(`metadata.annotations.${k}`, shape ? `its value looks like ${shape}` : 'its name says it holds a secret');
    }
  }
  const pod = (object.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  for (const list of ['initContainers', 'containers'] as const)
    for (const c of (pod?.[list] ?? []) as {
      name: string;
      env?: { name: string; value?: string }[];
      args?: string[];
    }[]) {
      for (const e of c.env ?? []) {
        if (e.value === undefined) continue;
        const shape = credentialShape(e.value);
        if (shape || SECRET_NAME.test(e.name)) {
          e.value = REDACTED;
          cut(
            `spec.template.spec.${list}[${c.name}].env[${e.name}]`,
            shape ? `its value looks like ${shape}` : 'its name says it holds a secret',
          );
        }
      }
      c.args = c.args?.map((a, i) => {
        const shape = credentialShape(a);
        if (!shape) return a;
        cut(`spec.template.spec.${list}[${c.name}].args[${i}]`, `it looks like ${shape}`);
        return REDACTED;
      });
    }
  if (o.kind === 'CertificateRequest') {
    const spec = object.spec as Record<string, unknown> | undefined;
    const status = object.status as Record<string, unknown> | undefined;
    if (spec?.request) {
      delete spec.request;
      cut('spec.request', 'the CSR (public, but large; not needed to rebuild the host)');
    }
    for (const k of ['certificate', 'ca'] as const)
      if (status?.[k]) {
        delete status[k];
        cut(`status.${k}`, 'an issued PEM (public, but large; the served chain is in the host check)');
      }
  }
  if (o.kind === 'Issuer' || o.kind === 'ClusterIssuer') {
    const acme = (object.spec as { acme?: Record<string, unknown> } | undefined)?.acme;
    if (acme?.caBundle) {
      delete acme.caBundle;
      cut('spec.acme.caBundle', 'a PEM bundle (public, but large; the replay uses the lab CA)');
    }
  }
  return { object, redactions };
}
