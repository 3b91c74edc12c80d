/** DP-02: the route and the Gateway report their status: Accepted, ResolvedRefs, Programmed, address = LB. */
import { PatchStrategy } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { converge } from '../../harness/converge.ts';
import { conditions, readObject, redeploy } from '../../harness/scenario/steps.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

const GW = ['gateway.networking.k8s.io/v1', 'Gateway', 'satusky-edge', 'satusky-edge'] as const;
/** The generated host's route of the run's app, by the built-in renderer's name (the fault twin's). */
const route = (app: InstanceApp) =>
  ['gateway.networking.k8s.io/v1', 'HTTPRoute', app.objectName('generated'), app.namespace] as const;

export default defineScenario({
  id: 'DP-02',
  title: 'HTTPRoute and Gateway status: Accepted, ResolvedRefs, Programmed, address of the load balancer',
  features: ['Gateway', 'HTTPRoute', 'Status'],
  apps: ['shop'],
  routing: ['current', 'target'],
  // internet: the Gateway's address must be env.lbIp, the address users are sent to.
  needs: ['deploy', 'internet'],
  async body(ctx) {
    // Converging: the deploy just edited the Gateway's listeners, and the edge reports on them a moment later.
    await ctx.check('Gateway satusky-edge Programmed with the load balancer address', async () => {
      const c = await converge(
        async () => {
          const gw = (await readObject(ctx, ...GW)) as {
            status?: { addresses?: { value: string }[]; conditions?: { type: string; status: string }[] };
          };
          const addresses = (gw.status?.addresses ?? []).map((a) => a.value);
          const conds = conditions(gw);
          const programmed = conds.find((x) => x.type === 'Programmed');
          return {
            ok: programmed?.status === 'True' && addresses.join() === ctx.env.lbIp,
            evidence: { addresses, conditions: conds },
          };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.api },
      );
      const last = c.attempts.at(-1)?.evidence;
      const programmed = last?.conditions?.find((x) => x.type === 'Programmed');
      return {
        ok: c.ok,
        evidence: c,
        message: `Programmed=${programmed?.status ?? 'absent'}, addresses ${last?.addresses?.join(', ') || 'none'} (expected ${ctx.env.lbIp})`,
      };
    });
    await ctx.check('HTTPRoute of the generated host Accepted and ResolvedRefs on every parent', async () => {
      type Parent = {
        parentRef: { sectionName?: string };
        conditions: { type: string; status: string; reason?: string }[];
      };
      const c = await converge(
        async () => {
          // Found by hostname, as any renderer names it: every HTTPRoute of the app's namespace that claims the host.
          const app = ctx.env.app('shop');
          const routes = (await ctx.env.k.objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute', app.namespace))
            .items as { spec?: { hostnames?: string[] }; status?: { parents?: Parent[] } }[];
          const parents = routes
            .filter((r) => r.spec?.hostnames?.includes(app.generatedHost))
            .flatMap((r) => r.status?.parents ?? []);
          const ok =
            parents.length >= 2 &&
            parents.every((p) =>
              ['Accepted', 'ResolvedRefs'].every((t) => p.conditions.some((x) => x.type === t && x.status === 'True')),
            );
          return { ok, evidence: { parents } };
        },
        { successes: 1, timeoutMs: Math.min(ctx.convergeMs, TIMEOUTS.routeStatus), intervalMs: POLL.edge },
      );
      const parents = (c.attempts.at(-1)?.evidence as { parents?: Parent[] } | undefined)?.parents ?? [];
      const bad = parents.flatMap((p) =>
        p.conditions
          .filter((x) => x.status !== 'True')
          .map((x) => `${p.parentRef.sectionName}: ${x.type}=${x.status} (${x.reason})`),
      );
      return { ok: c.ok, evidence: { parents }, message: bad.join('; ') || `${parents.length} parent statuses` };
    });
  },
  faults: [
    {
      name: 'parentRef sectionName wrong (NoMatchingParent)',
      failingCheck: 'HTTPRoute of the generated host Accepted and ResolvedRefs on every parent',
      async inject({ env }) {
        const ROUTE = route(env.app('shop'));
        const current = (await env.k.objects.read({
          apiVersion: ROUTE[0],
          kind: ROUTE[1],
          metadata: { name: ROUTE[2], namespace: ROUTE[3] },
        })) as { spec: { parentRefs: { sectionName?: string }[] } };
        const parentRefs = current.spec.parentRefs.map((p, i) =>
          i === 0 ? { ...p, sectionName: 'no-such-listener' } : p,
        );
        await env.k.objects.patch(
          {
            apiVersion: ROUTE[0],
            kind: ROUTE[1],
            metadata: { name: ROUTE[2], namespace: ROUTE[3] },
            spec: { parentRefs },
          } as never,
          undefined,
          undefined,
          undefined,
          undefined,
          PatchStrategy.MergePatch,
        );
      },
      revert: redeploy('shop'),
    },
  ],
});
