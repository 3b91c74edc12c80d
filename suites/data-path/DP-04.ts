/**
 * DP-04: host isolation. Org B cannot take org A's host: the platform refuses B's claim, and A's hosts keep
 * answering from A's pods only.
 */
import { defineScenario } from '../../harness/scenario/define.ts';
import { waitUntil } from '../../harness/converge.ts';
import {
  appAnswers,
  deployWithUserDns,
  exchange,
  faultRoute,
  parseEcho,
  sample,
} from '../../harness/scenario/steps.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/** Below the platform: a route in org evil claims one path of org acme's generated host. */
const TAKEOVER = faultRoute('skyprobe-fault-takeover', 'org-evil', 'http', {
  hostnames: ['shop-acme.satusky.com'],
  rules: [
    { matches: [{ path: { type: 'Exact', value: '/isolation' } }], backendRefs: [{ name: 'copycat', port: 80 }] },
  ],
});

export default defineScenario({
  id: 'DP-04',
  title: "Host isolation: another org cannot take an org's host",
  features: ['Isolation', 'HostClaims'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const shop = ctx.env.app('shop');
    const intruder = ctx.env.app('intruder');
    await ctx.check<{ deployed?: boolean; refused?: string }>(
      "the platform refuses org evil's claim on org acme's host",
      async () => {
        try {
          await ctx.env.deploy(intruder, ctx.routing);
          return {
            ok: false,
            evidence: { deployed: true },
            message: `${intruder.org}/${intruder.app} was deployed with ${intruder.customDomains.join(', ')}`,
          };
        } catch (err) {
          const m = (err as Error).message;
          return { ok: /already claimed by app acme\/shop/.test(m), evidence: { refused: m }, message: m };
        }
      },
    );
    for (const host of [shop.generatedHost, ...shop.customDomains]) {
      // Converge first (the edge may still be programming routes), then sample: every answer must be acme's.
      await appAnswers(ctx, shop, host, 'http');
      await ctx.check(`${host} answers only from acme/shop`, async () => {
        const seen: Record<string, number> = {};
        const url = `http://${host}/isolation`;
        const exchanges = await sample(10, async () => {
          const r = await ctx.env.http(url);
          const app = parseEcho(r)?.app ?? `status ${r.status}`;
          seen[app] = (seen[app] ?? 0) + 1;
          return exchange(url, r);
        });
        return {
          ok: Object.keys(seen).join() === 'acme/shop',
          evidence: { answeredBy: seen, exchanges: exchanges.slice(0, 3) },
          message: `answered by ${JSON.stringify(seen)}`,
        };
      });
    }
  },
  faults: [
    {
      name: 'conflicting route wins (a route in org evil, below the platform, claims the host)',
      failingCheck: 'shop-acme.satusky.com answers only from acme/shop',
      async inject({ env, routing }) {
        const intruder = env.app('intruder');
        await env.deploy({ ...intruder, customDomains: [] }, routing);
        await TAKEOVER.add(env);
        await waitUntil(
          'the takeover route wins',
          async () => parseEcho(await env.http('http://shop-acme.satusky.com/isolation'))?.app === 'evil/copycat',
          { timeoutMs: TIMEOUTS.faultAtEdge, intervalMs: POLL.edge },
        );
      },
      async revert({ env, routing }) {
        await TAKEOVER.remove(env);
        await env.remove({ ...env.app('intruder'), customDomains: [] }, routing);
      },
    },
  ],
});
