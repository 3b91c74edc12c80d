/**
 * FX-01: the four facts per host, reported separately with evidence and a remedy, by the same code as
 * `skyprobe domains check`: for every host of an app with a custom domain, an alias and a www redirect, the
 * platform's record, the routing, public DNS and TLS each pass on their own, and the endpoint (what a user gets
 * over HTTP and HTTPS) is the app itself, or the redirect the route declares; the workload is reported apart.
 * The facts and the endpoint fill report.json's hosts[] matrix.
 */
import type { EndpointEvidence } from '../../harness/facts/endpoint.ts';
import type { DomainsReport, FactName } from '../../harness/facts/fact.ts';
import { reportHost } from '../../harness/scenario/report-host.ts';
import { converge } from '../../harness/converge.ts';
import { DELIVERY_FAULTS } from '../../harness/scenario/delivery-faults.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import { deployWithUserDns, redeploy } from '../../harness/scenario/steps.ts';
import { orgNamespace, render } from '../../harness/stack/render.ts';
import { POLL } from '../../harness/timeouts.ts';

const checks: [FactName, string][] = [
  ['metadata', "metadata: the platform's record names the deployment the route serves, for every host"],
  ['routing', 'routing: one accepted claim per host, backend with ready endpoints'],
  ['dns', 'DNS: every host resolves to the edge, no stray records, CAA allows the CA'],
  ['tls', 'TLS: the edge serves a valid certificate for every host, chaining to the trust root'],
];
const ENDPOINT_CHECK =
  'endpoint: over HTTP and HTTPS every host is answered by the app (or redirected as its route says)';
/** The endpoint pass: both answers are the app's own (or the redirect its route declares), none the edge's. */
const endpointOk = (h: DomainsReport['hosts'][number]) => {
  const e = h.endpoint.evidence as EndpointEvidence;
  return h.endpoint.status === 'pass' && [e.http, e.https].every((a) => a.class === 'app' || a.class === 'redirect');
};
const app500 = DELIVERY_FAULTS.find((f) =>
  f.name.startsWith('pods that answer 500'),
) as (typeof DELIVERY_FAULTS)[number];

export default defineScenario({
  id: 'FX-01',
  title: 'Four facts per host (metadata, routing, DNS, TLS), reported separately with evidence and remedy',
  features: ['DomainFacts', 'CustomDomain', 'Alias', 'WwwRedirect'],
  apps: ['shop'],
  routing: ['current', 'target'],
  // internet: the setup points the user's domains at the edge (env.userDns); the facts themselves are ClusterEnv's.
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const hosts = render(app, ctx.routing).hosts.map((h) => h.host);
    let report: DomainsReport | undefined;
    // The facts converge like everything else (3 passing reads in a row); then each is judged on its own.
    const c = await converge(
      async () => {
        report = await ctx.env.facts(hosts);
        const statuses = report.hosts.map(
          (h) =>
            `${h.host}: ${checks.map(([n]) => `${n}=${h.facts[n].status}`).join(' ')} endpoint=${h.endpoint.status}`,
        );
        return {
          ok: report.hosts.every((h) => checks.every(([n]) => h.facts[n].status === 'pass') && endpointOk(h)),
          evidence: statuses,
        };
      },
      { timeoutMs: ctx.convergeMs, intervalMs: POLL.slow, keep: 6 },
    );
    const last = report as DomainsReport;
    ctx.note(
      'hosts',
      last.hosts.map((h) => reportHost(h, ctx.routing)),
    );
    for (const [name, title] of checks) {
      await ctx.check(title, async () => {
        const per = last.hosts.map((h) => ({
          host: h.host,
          status: h.facts[name].status,
          summary: h.facts[name].summary,
          remediation: h.facts[name].remediation,
          evidence: h.facts[name].evidence,
        }));
        const bad = per.filter((p) => p.status !== 'pass');
        return {
          ok: bad.length === 0,
          evidence: { hosts: per, convergence: { ok: c.ok, elapsedMs: c.elapsedMs, attempts: c.attempts.length } },
          message: bad
            .map((b) => `${b.host}: ${b.status}: ${b.summary}${b.remediation ? ` (fix: ${b.remediation})` : ''}`)
            .join('; '),
        };
      });
    }
    await ctx.check(ENDPOINT_CHECK, async () => {
      const per = last.hosts.map((h) => ({
        host: h.host,
        status: h.endpoint.status,
        summary: h.endpoint.summary,
        remediation: h.endpoint.remediation,
        evidence: h.endpoint.evidence,
      }));
      const bad = last.hosts.filter((h) => !endpointOk(h));
      return {
        ok: bad.length === 0,
        evidence: { hosts: per },
        message: bad
          .map(
            (h) =>
              `${h.host}: ${h.endpoint.status}: ${h.endpoint.summary}${h.endpoint.remediation ? ` (fix: ${h.endpoint.remediation})` : ''}`,
          )
          .join('; '),
      };
    });
    await ctx.check('the workload is reported apart from the facts', async () => {
      const w = last.hosts.map((h) => ({ host: h.host, ...h.workload }));
      return {
        ok: w.every((x) => x.status === 'ready' && x.deployment === `${orgNamespace(app.org)}/${app.app}`),
        evidence: w,
        message: w.map((x) => `${x.host}: ${x.summary}`).join('; '),
      };
    });
  },
  faults: [
    {
      name: 'metadata names another deployment',
      failingCheck: "metadata: the platform's record names the deployment the route serves, for every host",
      async inject({ env }) {
        const pop = env.app('pop');
        await env.deploy(pop, 'current');
        env.rewriteMetadata(env.app('shop'), (m) => ({ ...m, deployment: `${orgNamespace(pop.org)}/${pop.app}` }));
      },
      async revert(ctx) {
        await redeploy('shop')(ctx);
        await ctx.env.remove(ctx.env.app('pop'), 'current');
      },
    },
    {
      // Every object stays healthy (route accepted, ready endpoints, certificate Ready): only the endpoint sees it.
      name: app500.name,
      failingCheck: ENDPOINT_CHECK,
      inject: ({ env, routing }) => app500.inject(env, routing),
      revert: ({ env, routing }) => app500.revert(env, routing),
    },
  ],
});
