/**
 * The endpoint: what a user gets for the host, observed, not declared. Real requests through the published path
 * (the address the public resolver gives, or --edge), plain HTTP and HTTPS with the host's SNI and Host header,
 * from where a user stands (the lab's internet host; this machine for a real cluster); redirects are recorded with
 * their Location, never followed; TLS is verified against the trust root, never skipped. One observation of now,
 * bounded: each request has a timeout, and both schemes are asked at once.
 */
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { httpFromNetns } from '../probes/http.ts';
import { certInfo, servedChain } from '../probes/tls.ts';
import { TIMEOUTS, seconds } from '../timeouts.ts';
import { type EndpointAnswer, classifyAnswer } from './endpoint-answer.ts';
import { type Fact, fact } from './fact.ts';

export type { EndpointAnswer } from './endpoint-answer.ts';

/** The app's own health path and the status it must answer there (a real cluster's --path, --expect-status). */
export interface EndpointExpectation {
  path?: string;
  expectStatus?: number;
}

/** --path P (an absolute path, no scheme or host) and --expect-status N (100-599). */
export function parseEndpointExpectation(o: { path?: string; expectStatus?: string }): EndpointExpectation | undefined {
  if (o.path !== undefined && !/^\/[^\s#]*$/.test(o.path))
    throw new SkyprobeError(`--path "${o.path}" is not an absolute URL path`, {
      hint: "give the app's own health path, e.g. --path /healthz",
    });
  const status = o.expectStatus === undefined ? undefined : Number(o.expectStatus);
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599))
    throw new SkyprobeError(`--expect-status "${o.expectStatus}" is not an HTTP status`, {
      hint: 'give the status the app answers on --path, e.g. --expect-status 200',
    });
  if (o.path === undefined && status === undefined) return undefined;
  return {
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(status !== undefined ? { expectStatus: status } : {}),
  };
}

export interface EndpointInput extends EndpointExpectation {
  run: Runner;
  netns?: string;
  host: string;
  /** Where the published path leads: the public resolver's answer, or --edge. */
  addresses: string[];
  addressFrom: string;
  trustRoot: string;
  /** The deployment (namespace/name) that should answer: the platform's, else the route's. */
  deployment?: string;
  /** Where the route sends the host instead of a backend (a redirect-only route), as the routing fact read it. */
  declaredRedirect?: string;
  timeoutS?: number;
}

export interface EndpointEvidence {
  address?: string;
  addressFrom: string;
  path: string;
  expectStatus?: number;
  deployment?: string;
  http: EndpointAnswer;
  https: EndpointAnswer;
}

export const ENDPOINT_TIMEOUT_S = seconds(TIMEOUTS.httpRequest);

/** Ask the host on one scheme; on a failed TLS handshake, also read what certificate was served. */
async function ask(i: EndpointInput, scheme: 'http' | 'https', address: string): Promise<EndpointAnswer> {
  const port = scheme === 'http' ? 80 : 443;
  const url = `${scheme}://${i.host}${i.path ?? '/'}`;
  const timeoutS = i.timeoutS ?? ENDPOINT_TIMEOUT_S;
  const r = await httpFromNetns(i.run, i.netns, url, {
    resolve: `${i.host}:${port}:${address.includes(':') ? `[${address}]` : address}`,
    cacert: scheme === 'https' ? i.trustRoot : undefined,
    timeoutS,
    headers: true,
  });
  if (scheme === 'https' && r.status === 0 && (r.curlExit === 60 || r.curlExit === 35)) {
    const chain = await servedChain(i.run, i.host, address, i.trustRoot, { netns: i.netns, timeoutS });
    const leaf = chain.pems[0];
    return classifyAnswer(scheme, url, r, leaf ? certInfo(leaf) : undefined);
  }
  return classifyAnswer(scheme, url, r);
}

const noAddress = (i: EndpointInput, scheme: 'http' | 'https'): EndpointAnswer => ({
  scheme,
  url: `${scheme}://${i.host}${i.path ?? '/'}`,
  class: 'no-address',
  by: 'none',
  why: `${i.addressFrom} gives no address for ${i.host}`,
  status: 0,
  bodyExcerpt: '',
});

/** Whether the answering pod belongs to the deployment (its name is <deployment>-<replicaset hash>-<suffix>). */
export function podOf(deployment: string, self: { pod: string; namespace: string }): boolean {
  const [ns, name] = deployment.split('/');
  return self.namespace === ns && new RegExp(`^${name}-[a-z0-9]{1,10}-[a-z0-9]{5}$`).test(self.pod);
}

/** What is wrong with one answer (undefined: it is what a user should get). */
export function problemOf(
  a: EndpointAnswer,
  i: Pick<EndpointInput, 'host' | 'expectStatus' | 'deployment' | 'declaredRedirect'>,
): string | undefined {
  const where = `${a.scheme}://${i.host}`;
  if (a.class === 'redirect') {
    if (i.declaredRedirect && !a.location?.startsWith(i.declaredRedirect))
      return `${where} redirects to ${a.location}, but the route sends it to ${i.declaredRedirect}`;
    if (a.location === a.url) return `${where} redirects to itself (${a.location})`;
    if (a.scheme === 'https' && i.expectStatus !== undefined && i.expectStatus !== a.status && !i.declaredRedirect)
      return `${where} answers ${a.status} to ${a.location}, expected ${i.expectStatus}`;
    return undefined;
  }
  if (a.class === 'app') {
    if (i.declaredRedirect) return `${where}: the app answered ${a.status}, but the route redirects the host`;
    if (a.self && i.deployment && !podOf(i.deployment, a.self))
      return `${where} was answered by pod ${a.self.namespace}/${a.self.pod}${a.self.app ? ` (app ${a.self.app})` : ''}, not by ${i.deployment}`;
    const ok = i.expectStatus !== undefined ? a.status === i.expectStatus : a.status >= 200 && a.status < 400;
    if (!ok)
      return `${where}: the app answers ${a.status}${i.expectStatus !== undefined ? `, expected ${i.expectStatus}` : ''}`;
    return undefined;
  }
  if (a.class === 'edge') return `${where}: the edge answers ${a.status || 'TLS'} itself: ${a.why}`;
  return `${where}: ${a.class}: ${a.why}${a.error ? ` (${a.error})` : ''}`;
}

/** The remedy for one failed answer: the object and field to look at. */
export function remedyOf(a: EndpointAnswer, i: Pick<EndpointInput, 'host' | 'deployment'>): string {
  const d = i.deployment ?? "the app's Deployment";
  const [ns, name] = (i.deployment ?? '/').split('/');
  if (a.class === 'edge') {
    if (a.status === 0)
      return `give the host a TLS route with a certificate for ${i.host} (the Gateway listener's tls.certificateRefs, or the Ingress's spec.tls)`;
    if (a.status === 404)
      return `make the edge program a router for ${i.host}: the route or Ingress for it must be accepted and its backend must name an existing Service port`;
    if (a.status === 502)
      return "check the Service's spec.ports[].targetPort against the port the pods listen on (containerPort)";
    if (a.status === 503) return "check the Service's spec.selector and EndpointSlices: no ready server is behind it";
    return "check the route's backendRefs (an existing Service and port)";
  }
  if (a.class === 'app') {
    if (a.self && i.deployment && !podOf(i.deployment, a.self))
      return `check the Service's spec.selector: it must pick the pods of ${d}, not ${a.self.namespace}/${a.self.pod}`;
    if (a.status >= 500) return `the app fails: look at its logs (kubectl logs -n ${ns} deploy/${name})`;
    return `the app does not serve ${i.host} at this path: check its own host/virtual-host configuration, or pass --path and --expect-status for its health path`;
  }
  if (a.class === 'redirect') return `check the redirect configured for ${i.host} (route filter or middleware)`;
  if (a.class === 'no-address') return `make ${i.host} resolve to the edge (see the DNS fact)`;
  if (a.class === 'tls') return 'see the TLS fact: serve a certificate for the host that chains to the trust root';
  if (a.class === 'timeout')
    return `nothing answered ${a.address ?? 'the address'} in time: check the load balancer and the edge`;
  if (a.class === 'refused')
    return `${a.address ?? 'the address'} refuses the port: check the load balancer's and the edge's listeners`;
  return 'check the load balancer and the edge (their logs)';
}

const line = (a: EndpointAnswer) =>
  `${a.scheme} ${a.class === 'redirect' ? `${a.status} -> ${a.location}` : a.status || a.class}${
    a.class === 'app' ? ' from the app' : a.class === 'edge' ? ' from the edge' : ''
  }${a.self ? ` (pod ${a.self.pod})` : ''}${a.timeMs !== undefined ? ` in ${a.timeMs} ms` : ''}`;

export async function endpointFact(i: EndpointInput): Promise<Fact<EndpointEvidence>> {
  const address = i.addresses[0];
  const [http, https] = address
    ? await Promise.all([ask(i, 'http', address), ask(i, 'https', address)])
    : [noAddress(i, 'http'), noAddress(i, 'https')];
  const evidence: EndpointEvidence = {
    address,
    addressFrom: i.addressFrom,
    path: i.path ?? '/',
    http,
    https,
  };
  if (i.expectStatus !== undefined) evidence.expectStatus = i.expectStatus;
  if (i.deployment) evidence.deployment = i.deployment;
  for (const a of [http, https]) {
    const problem = problemOf(a, i);
    if (problem) a.problem = problem;
  }
  const bad = [https, http].filter((a) => a.problem);
  if (bad.length === 0) return fact('pass', `${line(https)}; ${line(http)}; at ${address}`, evidence);
  return fact(
    'fail',
    bad.map((a) => a.problem).join('; '),
    evidence,
    [...new Set(bad.map((a) => remedyOf(a, i)))].join('; '),
  );
}
