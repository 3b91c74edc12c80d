/**
 * TLS-03: readiness. A new app's pods are Ready while its certificate is still pending, and the harness says so:
 * "workload ready, endpoint not ready: TLS pending". Then the endpoint converges; the moment each fact became
 * true is recorded (hosts[].timeline in report.json). The facts are domains check's (env.facts), not recomputed.
 */
import { type DomainReport, FACT_NAMES, type FactName } from '../../harness/facts/fact.ts';
import { reportHost } from '../../harness/scenario/report-host.ts';
import { converge, waitUntil } from '../../harness/converge.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import { type ReadinessFacts, readinessVerdict } from '../../harness/scenario/readiness.ts';
import { within } from '../../harness/scenario/steps.ts';
import { certificateFor } from '../../harness/scenario/tls-steps.ts';
import { POLL, TIMEOUTS, seconds } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'TLS-03',
  title: 'Workload ready while TLS is pending is reported apart, then converges; each fact timed',
  features: ['Readiness', 'CertManager'],
  // None: the body deploys late itself, from nothing.
  apps: [],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  async setup({ env }) {
    // Undo this scenario's fault twin (Pebble blocked) should one have been left in place. Twins run only on the
    // embedded lab, so elsewhere there is nothing to undo, and no lab hook to undo it with.
    if (env.capabilities.labHooks) await env.blockPort('acme', 14000, false);
  },
  async body(ctx) {
    const app = ctx.env.app('late');
    const host = app.generatedHost;
    // From nothing: no app, and no certificate left from an earlier deployment (cert-manager would reuse it).
    const previous = ctx.env.metadata().find((m) => m.org === app.org && m.app === app.app);
    if (previous) await ctx.env.remove(app, previous.routing);
    const { secret } = await certificateFor(ctx, app, host);
    await ctx.env.k.core
      .deleteNamespacedSecret({ name: secret.name, namespace: secret.namespace })
      .catch(() => undefined);
    // ... and none at the edge: Traefik still served the deleted certificate a moment later (found on a kept lab,
    // where this scenario's current run left one), which made the pending check below see HTTPS answer 200.
    await waitUntil(
      `the edge no longer serves a trusted certificate for ${host}`,
      async () => !(await ctx.env.tls(host)).verified,
      {
        timeoutMs: TIMEOUTS.certificateForgotten,
        intervalMs: POLL.edge,
        successes: 3,
      },
    );
    const t0 = new Date().toISOString();
    await ctx.env.deploy(app, ctx.routing);
    const workloadReadyAt = new Date().toISOString();
    /**
     * The readiness inputs (readiness.ts) from the host's four facts as `skyprobe domains check` establishes them
     * (env.facts, the same code), plus the HTTPS request:
     *   workloadReady  the report's workload is `ready` (the Deployment's available replicas; deploy waited for it)
     *   routeAccepted  the routing fact passes: one accepted claim on the host, its backend with ready endpoints
     *   dnsResolved    the DNS fact passes: A at the edge's published address, no stray AAAA, CAA allowing the CA
     *   certReady      the TLS fact passes: Certificate Ready and the edge serving a valid, trusted chain for the
     *                  host. `pending` (cert-manager still issuing) is not ready, and so are `fail` and `unknown`
     *                  (no Certificate yet, the edge's default certificate): only `pass` is ready, as for the others
     *   httpsOk        GET https://<host>/ready answers 200 (a user's request; the facts make none to the app)
     * The metadata fact is not a readiness input; it is reported with the others in hosts[].
     */
    /** The host's report of the latest facts() call: what hosts[] shows once the endpoint converged. */
    const latest: { report?: DomainReport } = {};
    const facts = async () => {
      const [report, https] = await Promise.all([
        ctx.env.facts([host]),
        ctx.env.http(`https://${host}/ready`, { timeoutS: seconds(TIMEOUTS.quickRequest) }),
      ]);
      const h = report.hosts[0];
      latest.report = h;
      const passes = (n: FactName) => h?.facts[n].status === 'pass';
      const readiness: ReadinessFacts = {
        workloadReady: h?.workload.status === 'ready',
        routeAccepted: passes('routing'),
        dnsResolved: passes('dns'),
        certReady: passes('tls'),
        httpsOk: https.status === 200,
      };
      return {
        ...readiness,
        facts: Object.fromEntries(
          FACT_NAMES.map((n) => [n, { status: h?.facts[n].status, summary: h?.facts[n].summary }]),
        ),
        workload: h?.workload.summary,
        https: { status: https.status, error: https.error },
      };
    };
    const pending = await ctx.check(
      'while the certificate is pending: "workload ready, endpoint not ready: TLS pending"',
      async () => {
        const f = await facts();
        const verdict = readinessVerdict(f);
        return {
          ok: f.workloadReady && !f.certReady && !f.httpsOk && verdict.includes('TLS pending'),
          evidence: { at: new Date().toISOString(), verdict, facts: f },
          message: `verdict "${verdict}"`,
        };
      },
    );
    const timeline: Record<string, string | undefined> = { workloadReady: workloadReadyAt };
    const ready = await ctx.check('the endpoint becomes ready: route, DNS, certificate and HTTPS', async () => {
      const c = await converge(
        async () => {
          const f = await facts();
          const at = new Date().toISOString();
          if (f.routeAccepted) timeline.routeAccepted ??= at;
          if (f.dnsResolved) timeline.dnsResolved ??= at;
          if (f.certReady) timeline.certReady ??= at;
          if (f.httpsOk) timeline.httpsOk ??= at;
          return {
            ok: f.routeAccepted && f.dnsResolved && f.certReady && f.httpsOk,
            evidence: { verdict: readinessVerdict(f), ...f },
          };
        },
        { timeoutMs: within(ctx, TIMEOUTS.endpointReady), intervalMs: POLL.edge },
      );
      const last = c.attempts.at(-1)?.evidence;
      return {
        ok: c.ok,
        evidence: { deployedAt: t0, timeline, convergence: c },
        message: `last verdict "${last?.verdict ?? 'none'}"`,
      };
    });
    // The host's four facts as they were when the endpoint converged (never assumed), with the timeline.
    const final = latest.report;
    if (final)
      ctx.note('hosts', [
        reportHost(final, ctx.routing, {
          workload: { readyAt: workloadReadyAt, whileTlsPending: pending.verdict },
          timeline: {
            routeAccepted: timeline.routeAccepted,
            dnsResolved: timeline.dnsResolved,
            certReady: timeline.certReady,
            httpsOk: timeline.httpsOk,
          },
        }),
      ]);
    void ready;
  },
  faults: [
    {
      name: 'certificate never issued (Pebble unreachable): the endpoint must not be reported ready',
      failingCheck: 'the endpoint becomes ready: route, DNS, certificate and HTTPS',
      inject: ({ env }) => env.blockPort('acme', 14000, true),
      revert: ({ env }) => env.blockPort('acme', 14000, false),
    },
  ],
});
