/**
 * The endpoint on the real lab (issue #14): healthy hosts pass with an evidence record (status, who answered,
 * address, time); Traefik's own answers are what the classifier's fingerprints say (confirmed by the edge's access
 * log: no router, or no origin status); and every mis-wiring that leaves the objects healthy (DELIVERY_FAULTS)
 * fails `domains check` with exit 1 on the endpoint, with the evidence and the right remedy, while the facts it
 * does not touch still pass. In both routing modes, where the fault applies.
 */
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { labForFile } from './lab-for-file.ts';
import { converge } from '../converge.ts';
import { DELIVERY_FAULTS, rolledOut } from '../scenario/delivery-faults.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { deployWithUserDns } from '../scenario/steps.ts';
import { render } from '../stack/render.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { type FactTarget, checkDomains } from '../facts/check.ts';
import { TRAEFIK_DEFAULT_CERT, classifyAnswer, edgeFingerprint } from '../facts/endpoint-answer.ts';
import type { EndpointEvidence } from '../facts/endpoint.ts';
import { type DomainReport, FACT_NAMES, type FactName } from '../facts/fact.ts';
import { factTarget } from '../facts/target.ts';
import { labFactSite } from '../providers/embedded/fact-site.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const cli = (...args: string[]) =>
  execa('node', [bin, 'domains', 'check', ...args], { reject: false, env: { NO_COLOR: '1' } });

const ev = (r: DomainReport) => r.endpoint.evidence as EndpointEvidence;
const seen = (r: DomainReport) =>
  [
    ...FACT_NAMES.map((n) => `${n}=${r.facts[n].status}: ${r.facts[n].summary}`),
    `endpoint=${r.endpoint.status}: ${r.endpoint.summary}`,
  ].join(' | ');

/** What one delivery fault must look like on `domains check`. */
interface Expected {
  host: (env: ScenarioEnv) => string;
  endpoint: RegExp;
  remedy: RegExp;
  /** The routing fact, cross-checked against the endpoint (absent: it must pass). */
  routing?: { summary: RegExp; remedy: RegExp };
  untouched: FactName[];
}
const generated = (env: ScenarioEnv) => env.app('shop').generatedHost;
const custom = () => 'shop.example.com';
const EXPECTED: Record<string, Expected> = {
  'Service targetPort where nothing listens': {
    host: generated,
    endpoint: /the edge answers 502 itself: no reachable backend/,
    remedy: /targetPort/,
    routing: {
      summary:
        /HTTPRoute org-acme\/shop-generated Accepted, but the edge answers 502 .*the Service's targetPort\/port does not reach a listening pod/,
      remedy: /Service org-acme\/shop: spec\.ports\[\]\.targetPort/,
    },
    untouched: ['metadata', 'dns', 'tls'],
  },
  'Ingress backend naming a Service port that does not exist': {
    host: custom,
    endpoint: /the edge answers 404 itself: no router for the host/,
    remedy: /router for shop\.example\.com/,
    routing: {
      summary: /Ingress org-acme\/shop-domains has an address, but the edge answers 404 .*did not program this Ingress/,
      remedy: /spec\.rules\[\]\.http\.paths\[\]\.backend\.service\.port/,
    },
    untouched: ['metadata', 'dns', 'tls'],
  },
  "Service selector picking another app's pods": {
    host: generated,
    endpoint: /was answered by pod org-acme\/blog-[a-z0-9-]+ \(app acme\/blog\), not by org-acme\/shop/,
    remedy: /spec\.selector: it must pick the pods of org-acme\/shop/,
    untouched: ['routing', 'dns', 'tls'],
  },
  'pods that answer 500 everywhere (their health path still 200)': {
    host: generated,
    endpoint: /the app answers 500/,
    remedy: /kubectl logs -n org-acme deploy\/shop/,
    untouched: ['metadata', 'routing', 'dns', 'tls'],
  },
  'a backend that answers, but not for the custom domains': {
    host: custom,
    endpoint: /https:\/\/shop\.example\.com: the app answers 404/,
    remedy: /does not serve shop\.example\.com/,
    untouched: ['metadata', 'routing', 'dns', 'tls'],
  },
};

describe('the endpoint: what a user gets, observed', () => {
  let env: ScenarioEnv;
  let target: FactTarget;

  /** Check `host` until `done` has held twice in a row (bounded), and return the last report either way. */
  async function observe(host: string, done: (r: DomainReport) => boolean, ms = 45_000): Promise<DomainReport> {
    let last: DomainReport | undefined;
    await converge(
      async () => {
        last = (await checkDomains(target, [host])).hosts[0] as DomainReport;
        return { ok: done(last), evidence: last.endpoint.summary };
      },
      { successes: 2, timeoutMs: ms, intervalMs: 500 },
    );
    return last as DomainReport;
  }
  const allPass = (r: DomainReport) =>
    FACT_NAMES.every((n) => r.facts[n].status === 'pass') && r.endpoint.status === 'pass';

  const lab = labForFile();
  beforeAll(() => {
    ({ env, target } = lab.get());
  });

  describe.each([...ROUTINGS].reverse())('%s routing', (routing: Routing) => {
    beforeAll(async () => {
      await deployWithUserDns({ env, routing }, 'shop');
      await rolledOut(env, 'org-acme', 'shop');
    }, 120_000);

    it('every healthy host passes, with the evidence of what answered; the command exits 0', async () => {
      const hosts = render(env.app('shop'), routing).hosts;
      for (const { host, kind } of hosts) {
        const r = await observe(host, allPass, 90_000);
        expect(r.endpoint.status, seen(r)).toBe('pass');
        for (const a of [ev(r).http, ev(r).https]) {
          expect(a.class, `${host} ${a.scheme}`).toBe(kind === 'www' ? 'redirect' : 'app');
          expect(a.address).toBe(env.lbIp);
          expect(a.timeMs).toBeGreaterThanOrEqual(0);
          if (kind === 'www') expect(a.location).toBe('https://shop.example.com/');
          else expect(a).toMatchObject({ status: 200, by: 'app', self: { namespace: 'org-acme' } });
        }
        expect(ev(r).https.tls).toMatchObject({ verified: true });
      }
      const c = await cli(generated(env), '--json');
      expect(c.exitCode, c.stderr).toBe(0);
      const json = JSON.parse(c.stdout) as { hosts: { endpoint: { status: string; evidence: EndpointEvidence } }[] };
      expect(json.hosts[0]?.endpoint).toMatchObject({
        status: 'pass',
        evidence: { address: env.lbIp, https: { status: 200, by: 'app', class: 'app' } },
      });
    }, 240_000);

    it("Traefik's own answers match the classifier's fingerprints; the access log confirms who answered", async () => {
      const host = 'nobody-routes-this.example.com';
      const before = env.edgeAccessLog().length;
      const http = await env.http(`http://${host}/`, { resolve: `${host}:80:${env.lbIp}`, headers: true });
      expect(edgeFingerprint(http), JSON.stringify(http)).toMatchObject({
        status: 404,
        means: 'no router for the host',
      });
      expect(http.headers?.['x-content-type-options']).toEqual(['nosniff']);
      // No DNS record for it: ask the load balancer directly, as --edge does.
      const atLb = await factTarget({ edge: [env.lbIp] }, execRunner, labFactSite());
      const r = (await checkDomains(atLb, [host])).hosts[0] as DomainReport;
      expect(ev(r).http).toMatchObject({ class: 'edge', by: 'edge', status: 404 });
      expect(ev(r).https).toMatchObject({
        class: 'edge',
        by: 'edge',
        tls: { served: { subject: TRAEFIK_DEFAULT_CERT } },
      });
      // The edge's log: the 404 came from no router at all (no RouterName), not from a backend.
      const lines = await converge(
        async () => {
          const l = env
            .edgeAccessLog()
            .slice(before)
            .map((x) => JSON.parse(x) as { RequestHost?: string; RouterName?: string; DownstreamStatus?: number })
            .filter((x) => x.RequestHost === host);
          return { ok: l.length > 0, evidence: l };
        },
        { successes: 1, timeoutMs: 5_000, intervalMs: 200 },
      );
      const line = lines.attempts.at(-1)?.evidence[0];
      expect(line, 'an access log line for the request').toBeDefined();
      expect(line?.RouterName ?? '').toBe('');
      expect(line?.DownstreamStatus).toBe(404);
      expect(classifyAnswer('http', `http://${host}/`, http).by).toBe('edge');
    }, 60_000);

    for (const fault of DELIVERY_FAULTS.filter((f) => f.routing.includes(routing))) {
      const x = EXPECTED[fault.name] as Expected;
      it(`${fault.name}: endpoint fails with the evidence and the remedy; exit 1; untouched facts pass`, async () => {
        const host = x.host(env);
        await fault.inject(env, routing);
        try {
          const r = await observe(host, (y) => y.endpoint.status === 'fail' && x.endpoint.test(y.endpoint.summary));
          expect(r.endpoint.status, seen(r)).toBe('fail');
          expect(r.endpoint.summary, seen(r)).toMatch(x.endpoint);
          expect(r.endpoint.remediation, seen(r)).toMatch(x.remedy);
          expect(ev(r).https.bodyExcerpt.length + ev(r).http.bodyExcerpt.length, 'a body excerpt').toBeGreaterThan(0);
          if (x.routing) {
            expect(r.facts.routing.status, seen(r)).toBe('fail');
            expect(r.facts.routing.summary).toMatch(x.routing.summary);
            expect(r.facts.routing.remediation).toMatch(x.routing.remedy);
          }
          for (const n of x.untouched) expect(r.facts[n].status, `${n} must not be blamed: ${seen(r)}`).toBe('pass');
          const c = await cli(host, '--json');
          expect(c.exitCode, c.stderr).toBe(1);
          const json = JSON.parse(c.stdout) as { hosts: { endpoint: { status: string; summary: string } }[] };
          expect(json.hosts[0]?.endpoint.status).toBe('fail');
          expect(json.hosts[0]?.endpoint.summary).toMatch(x.endpoint);
        } finally {
          await fault.revert(env, routing);
        }
        const healthy = await observe(host, allPass, 60_000);
        expect(seen(healthy)).not.toMatch(/=(fail|pending|unknown)/);
      }, 150_000);
    }
  });
});
