/** DP-02: the route and the Gateway report their status: Accepted, ResolvedRefs, Programmed, address = LB. */
import { PatchStrategy } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { conditions, readObject, redeploy } from '../../harness/scenario/steps.ts';

const GW = ['gateway.networking.k8s.io/v1', 'Gateway', 'satusky-edge', 'satusky-edge'] as const;
const ROUTE = ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'shop-generated', 'org-acme'] as const;

export default defineScenario({
  id: 'DP-02',
  title: 'HTTPRoute and Gateway status: Accepted, ResolvedRefs, Programmed, address of the load balancer',
  features: ['Gateway', 'HTTPRoute', 'Status'],
  apps: ['shop'],
  routing: ['current', 'target'],
  // internet: the Gateway's address must be env.lbIp, the address users are sent to.
  needs: ['deploy', 'internet'],
  async body(ctx) {
    await ctx.check('Gateway satusky-edge Programmed with the load balancer address', async () => {
      const gw = (await readObject(ctx, ...GW)) as {
        status?: { addresses?: { value: string }[]; conditions?: { type: string; status: string }[] };
      };
      const addresses = (gw.status?.addresses ?? []).map((a) => a.value);
      const conds = conditions(gw);
      const programmed = conds.find((c) => c.type === 'Programmed');
      return {
        ok: programmed?.status === 'True' && addresses.join() === ctx.env.lbIp,
        evidence: { addresses, conditions: conds },
        message: `Programmed=${programmed?.status ?? 'absent'}, addresses ${addresses.join(', ') || 'none'} (expected ${ctx.env.lbIp})`,
      };
    });
    await ctx.check('HTTPRoute shop-generated Accepted and ResolvedRefs on every parent', async () => {
      const deadline = Date.now() + Math.min(ctx.convergeMs, 15_000);
      let parents: {
        parentRef: { sectionName?: string };
        conditions: { type: string; status: string; reason?: string }[];
      }[] = [];
      for (;;) {
        const route = (await readObject(ctx, ...ROUTE)) as { status?: { parents?: typeof parents } };
        parents = route.status?.parents ?? [];
        const ok =
          parents.length >= 2 &&
          parents.every((p) =>
            ['Accepted', 'ResolvedRefs'].every((t) => p.conditions.some((c) => c.type === t && c.status === 'True')),
          );
        if (ok || Date.now() > deadline) {
          const bad = parents.flatMap((p) =>
            p.conditions
              .filter((c) => c.status !== 'True')
              .map((c) => `${p.parentRef.sectionName}: ${c.type}=${c.status} (${c.reason})`),
          );
          return { ok, evidence: { parents }, message: bad.join('; ') || `${parents.length} parent statuses` };
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    });
  },
  faults: [
    {
      name: 'parentRef sectionName wrong (NoMatchingParent)',
      failingCheck: 'HTTPRoute shop-generated Accepted and ResolvedRefs on every parent',
      async inject({ env }) {
        const route = (await env.k.objects.read({
          apiVersion: ROUTE[0],
          kind: ROUTE[1],
          metadata: { name: ROUTE[2], namespace: ROUTE[3] },
        })) as { spec: { parentRefs: { sectionName?: string }[] } };
        const parentRefs = route.spec.parentRefs.map((p, i) =>
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
