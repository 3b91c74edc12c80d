/**
 * Who made an answer a user got for a host: the app behind the route, or the edge itself (no router for the host,
 * no reachable backend, its default certificate), a redirect, or nothing (timeout, refused, no address). Only
 * what the user sees is used: status, headers, body, the served certificate. The edge's own answers are matched
 * byte for byte against what Traefik 3.6 was measured to send in the lab (docs/architecture.md, "The endpoint").
 */
import type { NetnsHttpResult } from '../probes/http.ts';
import type { CertInfo } from '../probes/tls.ts';

export type AnswerClass = 'app' | 'edge' | 'redirect' | 'timeout' | 'refused' | 'no-address' | 'tls' | 'error';

/** An answer of the edge's own, as measured (status, exact body, Content-Type, nosniff), and what it means. */
export interface EdgeFingerprint {
  status: number;
  body: string;
  /** Absent: the edge sent no Content-Type. */
  contentType?: string;
  /** X-Content-Type-Options: nosniff was sent. */
  nosniff: boolean;
  /** What the edge says by it. */
  means: string;
}

/**
 * Traefik 3.6.12's own answers, measured in the lab on 2026-12-01 (each case made to happen; the access log showed
 * no RouterName, or OriginStatus 0, or a ServiceURL on a port where nothing listens). Go's http.NotFound writes the
 * same 404 bytes, so a Go app's own 404 reads as the edge's; the cross-check with the routing fact names both.
 */
export const TRAEFIK_ANSWERS: EdgeFingerprint[] = [
  {
    status: 404,
    body: '404 page not found\n',
    contentType: 'text/plain; charset=utf-8',
    nosniff: true,
    means: 'no router for the host',
  },
  { status: 502, body: 'Bad Gateway', nosniff: false, means: 'no reachable backend' },
  {
    status: 503,
    body: 'no available server\n',
    contentType: 'text/plain; charset=utf-8',
    nosniff: true,
    means: 'no server behind the route',
  },
  { status: 500, body: '', nosniff: false, means: "the route's backend cannot be loaded (Service or port missing)" },
];

/** Traefik's redirects (RedirectRegex/RedirectScheme middlewares and Gateway API's RequestRedirect), as measured. */
export const TRAEFIK_REDIRECTS: EdgeFingerprint[] = [
  { status: 301, body: 'Moved Permanently', nosniff: false, means: 'a redirect the edge makes (route or middleware)' },
];

/** The subject of the certificate Traefik serves when no router has one for the SNI. */
export const TRAEFIK_DEFAULT_CERT = 'CN=TRAEFIK DEFAULT CERT';

/** What skyprobe's echo backend (or any app that does the same) says about itself: the pod that answered. */
export interface SelfNamed {
  pod: string;
  namespace: string;
  app?: string;
}

export interface EndpointAnswer {
  scheme: 'http' | 'https';
  url: string;
  /** The address connected to. */
  address?: string;
  class: AnswerClass;
  /** Who answered. */
  by: 'app' | 'edge' | 'none';
  /** One phrase: why this class (the edge's meaning, the curl error, …). */
  why: string;
  status: number;
  timeMs?: number;
  location?: string;
  contentType?: string;
  xContentTypeOptions?: string;
  bodyExcerpt: string;
  /** https: curl's verdict (verified against the trust root) and, when it failed, what was served. */
  tls?: { verified: boolean; verifyResult?: number; served?: Pick<CertInfo, 'subject' | 'issuer' | 'sans'> };
  /** The pod that answered, when the answer names it. */
  self?: SelfNamed;
  error?: string;
  /** What is wrong with it, when something is (the endpoint's judgement). */
  problem?: string;
}

export const BODY_EXCERPT = 200;

const header = (r: NetnsHttpResult, name: string) => r.headers?.[name]?.join(', ');

/** The pod named by an answer of skyprobe's echo backend (JSON with pod and namespace). */
export function selfNamed(body: string): SelfNamed | undefined {
  try {
    const j = JSON.parse(body) as Partial<SelfNamed>;
    if (typeof j.pod === 'string' && j.pod && typeof j.namespace === 'string')
      return { pod: j.pod, namespace: j.namespace, ...(typeof j.app === 'string' ? { app: j.app } : {}) };
  } catch {
    // not JSON: an app that does not name itself
  }
  return undefined;
}

const matches = (f: EdgeFingerprint, r: Pick<NetnsHttpResult, 'status' | 'body' | 'headers'>) =>
  f.status === r.status &&
  f.body === r.body &&
  f.contentType === r.headers?.['content-type']?.join(', ') &&
  f.nosniff === (r.headers?.['x-content-type-options']?.join(', ') === 'nosniff');

/** The measured edge answer this one is, byte for byte, if any. */
export function edgeFingerprint(r: Pick<NetnsHttpResult, 'status' | 'body' | 'headers'>): EdgeFingerprint | undefined {
  return TRAEFIK_ANSWERS.find((f) => matches(f, r));
}

/** curl's exit codes for a connection that never gave an answer (curl's man page, EXIT CODES). */
const NO_ANSWER: Record<number, { class: AnswerClass; why: string }> = {
  6: { class: 'no-address', why: 'the name did not resolve' },
  7: { class: 'refused', why: 'the connection was refused' },
  28: { class: 'timeout', why: 'no answer within the bound' },
  35: { class: 'tls', why: 'the TLS handshake failed' },
  52: { class: 'error', why: 'the server closed the connection without an answer' },
  56: { class: 'error', why: 'the connection was reset' },
  60: { class: 'tls', why: 'the served certificate does not verify for the host' },
};

export function classifyAnswer(
  scheme: 'http' | 'https',
  url: string,
  r: NetnsHttpResult,
  served?: CertInfo,
): EndpointAnswer {
  const base = {
    scheme,
    url,
    address: r.remoteIp,
    status: r.status,
    timeMs: r.timeTotalMs,
    bodyExcerpt: r.body.slice(0, BODY_EXCERPT),
  };
  const out = (a: Omit<EndpointAnswer, keyof typeof base>): EndpointAnswer => {
    const e: EndpointAnswer = { ...base, ...a };
    const type = header(r, 'content-type');
    if (type) e.contentType = type;
    const xcto = header(r, 'x-content-type-options');
    if (xcto) e.xContentTypeOptions = xcto;
    if (r.location) e.location = r.location;
    if (scheme === 'https')
      e.tls = {
        verified: r.status > 0 && r.sslVerifyResult === 0,
        verifyResult: r.sslVerifyResult,
        ...(served ? { served: { subject: served.subject, issuer: served.issuer, sans: served.sans } } : {}),
      };
    if (r.error) e.error = r.error;
    return e;
  };
  if (r.status === 0) {
    const known = NO_ANSWER[r.curlExit ?? -1] ?? { class: 'error' as const, why: r.error ?? 'no answer' };
    if (known.class === 'tls' && served?.subject === TRAEFIK_DEFAULT_CERT)
      return out({ class: 'edge', by: 'edge', why: "the edge's default certificate (no TLS router for the host)" });
    if (known.class === 'tls' && served)
      return out({
        class: 'tls',
        by: 'none',
        why: `${known.why}: served ${served.subject}${served.sans.length ? ` (${served.sans.join(', ')})` : ''}`,
      });
    return out({ class: known.class, by: 'none', why: known.why });
  }
  const edge = edgeFingerprint(r);
  if (edge) return out({ class: 'edge', by: 'edge', why: `${edge.means} (${edge.status})` });
  const self = selfNamed(r.body);
  if (r.status >= 300 && r.status < 400 && r.location)
    return out({
      class: 'redirect',
      by: self ? 'app' : 'edge',
      why: `${r.status} to ${r.location}`,
      ...(self ? { self } : {}),
    });
  return out({ class: 'app', by: 'app', why: `the app answered ${r.status}`, ...(self ? { self } : {}) });
}
