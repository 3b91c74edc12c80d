/**
 * TLS-03: readiness. A new app's pods are Ready while its certificate is still pending, and the harness says so:
 * "workload ready, endpoint not ready: TLS pending". Then the endpoint converges; the moment each fact became
 * true is recorded (hosts[].timeline in report.json).
 */
import { reportHost } from '../../harness/facts/report-host.ts';
import { converge } from '../../harness/converge.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import { readinessVerdict } from '../../harness/scenario/readiness.ts';
import { conditions, readObject, within } from '../../harness/scenario/steps.ts';
import { certificateFor } from '../../harness/scenario/tls-steps.ts';
import { orgNamespace } from '../../harness/stack/render.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'TLS-03',
  title: 'Workload ready while TLS is pending is reported apart, then converges; each fact timed',
  area: 'readiness',
  features: ['Readiness', 'CertManager'],
  apps: ['late'],
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
    const t0 = new Date().toISOString();
    await ctx.env.deploy(app, ctx.routing);
    const workloadReadyAt = new Date().toISOString();
    const facts = async () => {
      const route = (await readObject(
        ctx,
        'gateway.networking.k8s.io/v1',
        'HTTPRoute',
        `${app.app}-generated`,
        orgNamespace(app.org),
      ).catch(() => undefined)) as
        { status?: { parents?: { conditions: { type: string; status: string }[] }[] } } | undefined;
      const routeAccepted = (route?.status?.parents ?? []).some((p) =>
        p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'),
      );
      const dns = await ctx.env.dns.resolve(host, 'A');
      const { certificate } = await certificateFor(ctx, app, host);
      const certReady = conditions(certificate).some((c) => c.type === 'Ready' && c.status === 'True');
      const https = await ctx.env.http(`https://${host}/ready`, { timeoutS: 2 });
      return {
        workloadReady: true,
        routeAccepted,
        dnsResolved: dns.addresses.includes(ctx.env.lbIp),
        certReady,
        httpsOk: https.status === 200,
        certificate: conditions(certificate),
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
    // The host's four facts at the end, as domains check establishes them (never assumed), with the timeline.
    const final = (await ctx.env.facts([host])).hosts[0];
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
