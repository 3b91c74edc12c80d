/**
 * The endpoint's judgement on recorded answers: Traefik 3.6's own answers as measured in the lab (RECORDED), the
 * echo backend's, curl's failures; then the whole endpoint fact through a scripted curl, the routing fact's
 * cross-check, pending, and the exit codes. (Against real components: endpoint.lab.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { NetnsHttpResult } from '../probes/http.ts';
import { fakeRunner } from '../testing/fake-runner.ts';
import type { Claimant } from './claimants.ts';
import { crossCheckRouting, endpointWhilePending } from './cross-check.ts';
import { TRAEFIK_DEFAULT_CERT, classifyAnswer, edgeFingerprint } from './endpoint-answer.ts';
import { type EndpointEvidence, endpointFact, parseEndpointExpectation, podOf } from './endpoint.ts';
import { type DomainReport, type Fact, exitCodeOf, fact } from './fact.ts';
import { summarize } from './summary.ts';
import { renderTable } from './render-table.ts';
import type { RoutingEvidence } from './routing.ts';
import { RECORDED, type Recorded } from './endpoint.recorded.ts';

const asResult = (r: Recorded): NetnsHttpResult => ({
  status: r.status,
  body: r.body,
  headers: r.headers,
  location: r.location,
  remoteIp: '203.0.113.10',
  curlExit: r.curlExit,
  sslVerifyResult: r.sslVerifyResult ?? 0,
  timeTotalMs: 4,
  error: r.error,
});
const served = (subject: string, sans: string[] = []) => ({
  subject,
  issuer: subject,
  sans,
  notBefore: '',
  notAfter: '',
});

describe("who answered: Traefik's own answers, as measured, and the app's", () => {
  for (const r of RECORDED)
    it(`${r.case}: ${r.scheme} ${r.status || `curl exit ${r.curlExit}`} is ${r.expect.class} by ${r.expect.by}`, () => {
      const a = classifyAnswer(
        r.scheme,
        `${r.scheme}://${r.host}/`,
        asResult(r),
        r.served !== undefined ? served(r.served) : undefined,
      );
      expect({ class: a.class, by: a.by }).toEqual({ class: r.expect.class, by: r.expect.by });
      if (r.expect.why) expect(a.why).toMatch(r.expect.why);
    });

  it('an edge answer is matched byte for byte: the same status with another body or type is the app', () => {
    const edge404 = RECORDED.find((r) => r.case === 'no route for the host' && r.scheme === 'http') as Recorded;
    expect(edgeFingerprint(asResult(edge404))?.means).toBe('no router for the host');
    expect(edgeFingerprint({ ...asResult(edge404), body: '404 page not found' })).toBeUndefined();
    expect(edgeFingerprint({ ...asResult(edge404), headers: { 'content-type': ['text/html'] } })).toBeUndefined();
  });

  it('curl failures: timeout, refused, and a TLS certificate for another name than the default one', () => {
    const none = { status: 0, body: '', remoteIp: '203.0.113.10' };
    expect(classifyAnswer('http', 'http://h/', { ...none, curlExit: 28 })).toMatchObject({ class: 'timeout' });
    expect(classifyAnswer('http', 'http://h/', { ...none, curlExit: 7 })).toMatchObject({ class: 'refused' });
    const other = classifyAnswer('https', 'https://h/', { ...none, curlExit: 60 }, served('CN=other', ['other']));
    expect(other).toMatchObject({
      class: 'tls',
      by: 'none',
      tls: { verified: false, served: { subject: 'CN=other' } },
    });
    const dflt = classifyAnswer('https', 'https://h/', { ...none, curlExit: 60 }, served(TRAEFIK_DEFAULT_CERT));
    expect(dflt).toMatchObject({ class: 'edge', by: 'edge' });
  });

  it("a pod belongs to a Deployment when its name is <deployment>-<replicaset hash>-<suffix> in the Deployment's namespace", () => {
    expect(podOf('org-acme/shop', { pod: 'shop-7d9f8b6c4-x2k9q', namespace: 'org-acme' })).toBe(true);
    expect(podOf('org-acme/shop', { pod: 'shop-7d9f8b6c4-x2k9q', namespace: 'org-pop' })).toBe(false);
    expect(podOf('org-acme/shop', { pod: 'shop-v1-7d9f8b6c4-x2k9q', namespace: 'org-acme' })).toBe(false);
    expect(podOf('org-acme/shop', { pod: 'blog-7d9f8b6c4-x2k9q', namespace: 'org-acme' })).toBe(false);
  });
});

/** curl's output for a recorded answer, as httpFromNetns asks for it (body, headers, write-out). */
const curlSays = (r: { status: number; body?: string; headers?: Record<string, string[]>; location?: string }) => ({
  exitCode: 0,
  output: `${r.body ?? ''}\n--skyprobe-headers--${JSON.stringify(r.headers ?? {})}\n${JSON.stringify({
    http_code: r.status,
    redirect_url: r.location ?? null,
    remote_ip: '203.0.113.10',
    ssl_verify_result: 0,
    time_total: 0.012,
    exitcode: 0,
  })}`,
});
const echo = (pod: string, status = 200, namespace = 'org-acme') => ({
  status,
  body: JSON.stringify({ pod, namespace, app: `acme/${pod.split('-')[0]}`, host: 'shop.example.com' }),
  headers: { 'content-type': ['application/json'] },
});
const recorded = (c: string, scheme: 'http' | 'https', host?: string) =>
  RECORDED.find((r) => r.case === c && r.scheme === scheme && (!host || r.host === host)) as Recorded;

async function endpointOf(
  answers: { http: ReturnType<typeof curlSays>; https: ReturnType<typeof curlSays> },
  extra: Partial<Parameters<typeof endpointFact>[0]> = {},
) {
  const f = fakeRunner([
    { match: / https:\/\/\S+$/, reply: answers.https },
    { match: / http:\/\/\S+$/, reply: answers.http },
  ]);
  const e = await endpointFact({
    run: f.run,
    host: 'shop.example.com',
    addresses: ['203.0.113.10'],
    addressFrom: 'resolver 198.51.100.53',
    trustRoot: '/root.pem',
    deployment: 'org-acme/shop',
    ...extra,
  });
  return { e, calls: f.calls };
}

describe('the endpoint fact', () => {
  it('passes when the app answers both schemes, with the evidence: status, who, address, time', async () => {
    const ok = curlSays(echo('shop-7d9f8b6c4-x2k9q'));
    const { e, calls } = await endpointOf({ http: ok, https: ok });
    expect(e.status, e.summary).toBe('pass');
    expect(e.summary).toBe(
      'https 200 from the app (pod shop-7d9f8b6c4-x2k9q) in 12 ms; http 200 from the app (pod shop-7d9f8b6c4-x2k9q) in 12 ms; at 203.0.113.10',
    );
    expect(e.evidence).toMatchObject({
      address: '203.0.113.10',
      https: { status: 200, by: 'app', class: 'app', address: '203.0.113.10', timeMs: 12, tls: { verified: true } },
    });
    // The host's SNI and Host header, on the address the resolver gave; TLS verified against the trust root.
    expect(calls.map((c) => c.line).join('\n')).toMatch(
      /--cacert \/root\.pem --resolve shop\.example\.com:443:203\.0\.113\.10 https:\/\/shop\.example\.com\//,
    );
    expect(calls.map((c) => c.line).join('\n')).toMatch(/--resolve shop\.example\.com:80:203\.0\.113\.10 http:\/\//);
  });

  it("fails on the edge's 502, names it, and the remedy is the Service's targetPort", async () => {
    const bad = curlSays(recorded('Service targetPort where nothing listens', 'https'));
    const { e } = await endpointOf({ http: bad, https: bad });
    expect(e.status).toBe('fail');
    expect(e.summary).toContain('https://shop.example.com: the edge answers 502 itself: no reachable backend');
    expect(e.remediation).toMatch(/targetPort/);
  });

  it('fails when the app answers 500, when another app answers, and when the app does not serve the host', async () => {
    const e500 = (
      await endpointOf({
        http: curlSays(echo('shop-7d9f8b6c4-x2k9q', 500)),
        https: curlSays(echo('shop-7d9f8b6c4-x2k9q', 500)),
      })
    ).e;
    expect(e500).toMatchObject({ status: 'fail' });
    expect(e500.summary).toContain('the app answers 500');
    expect(e500.remediation).toContain('kubectl logs -n org-acme deploy/shop');
    const blog = curlSays(echo('blog-5c6d7f8b9-abcde'));
    const other = (await endpointOf({ http: blog, https: blog })).e;
    expect(other.summary).toContain(
      'answered by pod org-acme/blog-5c6d7f8b9-abcde (app acme/blog), not by org-acme/shop',
    );
    expect(other.remediation).toContain("Service's spec.selector");
    const e404 = (
      await endpointOf({
        http: curlSays(echo('shop-7d9f8b6c4-x2k9q', 404)),
        https: curlSays(echo('shop-7d9f8b6c4-x2k9q', 404)),
      })
    ).e;
    expect(e404.summary).toContain('https://shop.example.com: the app answers 404');
  });

  it("a redirect is recorded with its Location and passes; one that differs from the route's is a fault", async () => {
    const r = { status: 301, location: 'https://shop.example.com/', headers: {} };
    const www = { host: 'www.shop.example.com' };
    const { e } = await endpointOf({ http: curlSays(r), https: curlSays(r) }, www);
    expect(e.status, e.summary).toBe('pass');
    expect((e.evidence as EndpointEvidence).http).toMatchObject({
      class: 'redirect',
      location: 'https://shop.example.com/',
    });
    const elsewhere = await endpointOf(
      { http: curlSays(r), https: curlSays(r) },
      { ...www, declaredRedirect: 'https://other.example.com' },
    );
    expect(elsewhere.e.summary).toContain('but the route sends it to https://other.example.com');
  });

  it('--path and --expect-status: the request goes to the path, and the status must be the one expected', async () => {
    const ok = curlSays(echo('shop-7d9f8b6c4-x2k9q', 204));
    const { e, calls } = await endpointOf({ http: ok, https: ok }, { path: '/healthz', expectStatus: 204 });
    expect(e.status, e.summary).toBe('pass');
    expect(calls[0]?.line).toMatch(/shop\.example\.com\/healthz$/);
    const wrong = await endpointOf({ http: ok, https: ok }, { path: '/healthz', expectStatus: 200 });
    expect(wrong.e.summary).toContain('the app answers 204, expected 200');
  });

  it('no address from the resolver: no request is made, and the endpoint fails naming where it looked', async () => {
    const { e, calls } = await endpointOf({ http: curlSays(echo('x')), https: curlSays(echo('x')) }, { addresses: [] });
    expect(calls).toHaveLength(0);
    expect(e.summary).toContain('no-address: resolver 198.51.100.53 gives no address for shop.example.com');
  });
});

describe('the routing fact against the endpoint, pending, exit codes', () => {
  const claimant = (kind: 'HTTPRoute' | 'Ingress'): Claimant => ({
    kind,
    ref: kind === 'Ingress' ? 'org-acme/shop-domains' : 'org-acme/shop-generated',
    createdAt: '',
    matchedBy: 'shop.example.com',
    parents: [],
    backends: [
      {
        service: 'org-acme/shop',
        port: 80,
        exists: true,
        readyEndpoints: 2,
        notReadyEndpoints: 0,
        deployments: ['org-acme/shop'],
      },
    ],
  });
  const routingPass = (kind: 'HTTPRoute' | 'Ingress'): Fact<RoutingEvidence> =>
    fact('pass', `${kind} accepted; org-acme/shop: 2 ready endpoint(s)`, {
      claimants: [claimant(kind)],
      winner: `${kind} ${claimant(kind).ref}`,
    });
  const endpointWith = async (c: string, host?: string) => {
    const a = curlSays(recorded(c, 'https', host));
    return (await endpointOf({ http: a, https: a })).e;
  };

  it('route Accepted, but the edge answers 502: the routing fact fails and names the Service and field', async () => {
    const r = crossCheckRouting(
      routingPass('HTTPRoute'),
      await endpointWith('Service targetPort where nothing listens'),
    );
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(
      "HTTPRoute org-acme/shop-generated Accepted, but the edge answers 502 (no reachable backend (502)) on https: the Service's targetPort/port does not reach a listening pod",
    );
    expect(r.remediation).toContain('Service org-acme/shop: spec.ports[].targetPort (port 80)');
    expect(r.evidence).toMatchObject({ crossCheck: { answer: { status: 502 }, objectsSaid: expect.any(String) } });
  });

  it("an Ingress the edge has no router for: the remedy is the Ingress's backend service port", async () => {
    const r = crossCheckRouting(
      routingPass('Ingress'),
      await endpointWith('Ingress backend naming a Service port that does not exist', 'shop.example.com'),
    );
    expect(r.summary).toContain('Ingress org-acme/shop-domains has an address, but the edge answers 404');
    expect(r.remediation).toContain('spec.rules[].http.paths[].backend.service.port');
  });

  it("the app's own failure leaves the routing fact alone; a routing fact that already fails is kept", async () => {
    const e500 = (
      await endpointOf({
        http: curlSays(echo('shop-7d9f8b6c4-x2k9q', 500)),
        https: curlSays(echo('shop-7d9f8b6c4-x2k9q', 500)),
      })
    ).e;
    expect(crossCheckRouting(routingPass('HTTPRoute'), e500).status).toBe('pass');
    const failing = fact('fail', 'no HTTPRoute or Ingress claims it', { claimants: [] }, 'create it');
    expect(crossCheckRouting(failing, await endpointWith('Service targetPort where nothing listens'))).toBe(failing);
  });

  it('a certificate being issued makes an HTTPS failure pending (exit 3), not a failure', async () => {
    const f = fakeRunner([
      {
        match: / https:\/\/\S+$/,
        reply: { exitCode: 60, output: 'curl: (60) SSL certificate problem\n{"http_code":0,"exitcode":60}' },
      },
      { match: /openssl s_client/, reply: { exitCode: 1, output: '' } },
      { match: / http:\/\/\S+$/, reply: curlSays(echo('shop-7d9f8b6c4-x2k9q')) },
    ]);
    const e = await endpointFact({
      run: f.run,
      host: 'shop.example.com',
      addresses: ['203.0.113.10'],
      addressFrom: 'resolver',
      trustRoot: '/root.pem',
      deployment: 'org-acme/shop',
    });
    expect(e.status).toBe('fail');
    const pass = fact('pass', '', {});
    const facts = { metadata: pass, routing: pass, dns: pass, tls: fact('pending', 'not Ready yet', {}, 'wait') };
    const pending = endpointWhilePending(e, facts);
    expect(pending.status).toBe('pending');
    expect(exitCodeOf([{ facts, endpoint: pending }])).toBe(3);
    // The same failure with the certificate Ready is a failure.
    expect(endpointWhilePending(e, { ...facts, tls: pass }).status).toBe('fail');
  });

  it("the edge's 503 while the objects show ready endpoints is the edge catching up: pending, routing kept", async () => {
    const e = await endpointWith('Service with no endpoints');
    expect(e.status).toBe('fail');
    const routing = routingPass('HTTPRoute');
    expect(crossCheckRouting(routing, e)).toBe(routing);
    const pass = fact('pass', '', {});
    const pending = endpointWhilePending(e, { metadata: pass, routing, dns: pass, tls: pass });
    expect(pending.status).toBe('pending');
    expect(pending.summary).toContain("(the edge has not caught up with the Service's ready endpoints)");
    // Without ready endpoints the routing fact fails from the objects, and the endpoint's failure stands.
    const empty = fact('fail', 'no ready endpoints', routing.evidence, 'fix the selector');
    expect(endpointWhilePending(e, { metadata: pass, routing: empty, dns: pass, tls: pass }).status).toBe('fail');
  });

  it('a failing endpoint is exit 1 whatever the four facts say; pending stays 3', () => {
    const pass = fact('pass', '', {});
    const facts = { metadata: pass, routing: pass, dns: pass, tls: pass };
    expect(exitCodeOf([{ facts, endpoint: pass }])).toBe(0);
    expect(exitCodeOf([{ facts, endpoint: fact('fail', '', {}) }])).toBe(1);
    expect(exitCodeOf([{ facts, endpoint: fact('pending', '', {}) }])).toBe(3);
    expect(exitCodeOf([{ facts: { ...facts, tls: fact('pending', '', {}) }, endpoint: fact('fail', '', {}) }])).toBe(1);
  });

  it('the table shows the endpoint line with its remedy', async () => {
    const e = await endpointWith('Service targetPort where nothing listens');
    const pass = fact('pass', 'ok', {});
    const host: DomainReport = {
      host: 'shop.example.com',
      facts: { metadata: pass, routing: pass, dns: pass, tls: pass },
      endpoint: e,
      workload: { status: 'ready', summary: 'org-acme/shop: 2/2 available' },
      durationMs: 120,
    };
    const text = renderTable(
      { schema: 'skyprobe.domains/v1', checkedAt: '', hosts: [host], summary: summarize([host]) },
      false,
    );
    expect(text).toMatch(/\n {2}endpoint {2}FAIL {5}https:\/\/shop\.example\.com: the edge answers 502 itself/);
    expect(text).toMatch(/\n {21}fix: check the Service's spec\.ports\[\]\.targetPort/);
  });

  it('--path and --expect-status are checked before anything is probed', () => {
    expect(parseEndpointExpectation({})).toBeUndefined();
    expect(parseEndpointExpectation({ path: '/healthz', expectStatus: '204' })).toEqual({
      path: '/healthz',
      expectStatus: 204,
    });
    expect(() => parseEndpointExpectation({ path: 'healthz' })).toThrow('is not an absolute URL path');
    expect(() => parseEndpointExpectation({ expectStatus: '2xx' })).toThrow('is not an HTTP status');
    expect(() => parseEndpointExpectation({ expectStatus: '700' })).toThrow('is not an HTTP status');
  });
});
