/**
 * ST-02: every host the edge routes has exactly one accepted claim whose backend has ready endpoints: the
 * routing fact of `domains check`, for every non-wildcard hostname of every HTTPRoute and Ingress. Read-only, so
 * it runs on every provider; where the provider can deploy (embedded, kind) it first deploys an app, for there to
 * be something to read. Where nothing is routed (an existing cluster with no app yet) it is skipped with that reason.
 */
import { SOLVER_LABEL } from '../../harness/facts/claimants.ts';
import { type Obj, readClusterView, ref } from '../../harness/facts/cluster-view.ts';
import { routingFact } from '../../harness/facts/routing.ts';
import { converge } from '../../harness/converge.ts';
import { defineScenario, unmetNeeds } from '../../harness/scenario/define.ts';
import { deployWithUserDns, faultRoute } from '../../harness/scenario/steps.ts';
import type { ScenarioEnv } from '../../harness/scenario/env.ts';
import { HTTP_LISTENER } from '../../harness/stack/edge-objects.ts';
import { userZone } from '../../harness/stack/instance.ts';
import { POLL } from '../../harness/timeouts.ts';

const notSolver = (o: Obj) => o.metadata.labels?.[SOLVER_LABEL] !== 'true';
/** A route in the run's app's namespace, for a host of its user zone, to a Service that does not exist. */
const broken = (env: ScenarioEnv) => {
  const app = env.app('shop');
  return faultRoute('skyprobe-broken', app.namespace, HTTP_LISTENER, {
    hostnames: [`broken.${userZone(app.customDomains[0] as string)}`],
    rules: [{ backendRefs: [{ name: 'skyprobe-no-such-service', port: 80 }] }],
  });
};

export default defineScenario({
  id: 'ST-02',
  title: 'Every routed host has one accepted claim with ready endpoints',
  features: ['HTTPRoute', 'Ingress', 'ReadOnly'],
  // None: deploying is optional here (setup), so that it runs where nothing may be deployed.
  apps: [],
  routing: ['current', 'target'],
  needs: [],
  alone: 'judges every routed host of the cluster: a scenario beside it has routes that the edge is still taking in',
  setup: async (ctx) => {
    // Optional, so not a need: where the provider can deploy and point the user's domains (embedded, kind), it does.
    if (!unmetNeeds({ needs: ['deploy', 'internet'] }, ctx.env.capabilities, ctx.env.provider))
      await deployWithUserDns(ctx, 'shop');
  },
  async body(ctx) {
    // A healthy cluster with no app yet routes no host: nothing for this scenario to judge, so it is skipped with
    // that reason at once (a failure after the whole bound was a false alarm; a pass would claim what was not seen).
    const routed = (view: Awaited<ReturnType<typeof readClusterView>>) =>
      [
        ...new Set([
          // cert-manager's solver routes come and go with challenges: their hosts are checked through the app's routes.
          ...view.objects.HTTPRoute.filter(notSolver).flatMap((r) => (r.spec?.hostnames ?? []) as string[]),
          ...view.objects.Ingress.filter(notSolver).flatMap((i) =>
            ((i.spec?.rules ?? []) as { host?: string }[]).map((r) => r.host ?? ''),
          ),
        ]),
      ]
        .filter((h) => h && !h.startsWith('*'))
        .sort();
    const first = await readClusterView(ctx.env.k);
    if (routed(first).length === 0)
      ctx.nothingToJudge(
        `no HTTPRoute or Ingress names a host (${first.objects.HTTPRoute.length} routes, ${first.objects.Ingress.length} ingresses, wildcards and ACME solvers aside): no routed host to judge`,
      );
    await ctx.check('every routed host: one accepted claim, backend with ready endpoints', async () => {
      // Converging (3 good reads in a row, bounded): right after a deployment the edge is still catching up.
      const c = await converge(
        async () => {
          const view = await readClusterView(ctx.env.k);
          const hosts = routed(view);
          const per = hosts.map((host) => {
            const f = routingFact(view, host);
            return { host, status: f.status, summary: f.summary, remediation: f.remediation };
          });
          return {
            ok: hosts.length > 0 && per.every((p) => p.status === 'pass'),
            evidence: { routes: view.objects.HTTPRoute.map(ref), ingresses: view.objects.Ingress.map(ref), hosts: per },
          };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.slow, keep: 4 },
      );
      const last = c.attempts.at(-1)?.evidence;
      const bad = (last?.hosts ?? []).filter((p) => p.status !== 'pass');
      return {
        ok: c.ok,
        evidence: c,
        message:
          !last || last.hosts.length === 0
            ? 'no routed host to check'
            : bad.map((b) => `${b.host}: ${b.summary}`).join('; '),
      };
    });
  },
  faults: [
    {
      name: 'a route whose backend Service does not exist',
      failingCheck: 'every routed host: one accepted claim, backend with ready endpoints',
      inject: async ({ env }) => {
        await broken(env).add(env);
      },
      revert: async ({ env }) => {
        await broken(env).remove(env);
      },
    },
  ],
});
