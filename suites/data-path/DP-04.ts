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
import type { ScenarioEnv } from '../../harness/scenario/env.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/** Below the platform: a route in org evil claims one path of org acme's generated host. */
const takeover = (env: ScenarioEnv) => {
  const [shop, intruder] = [env.app('shop'), env.app('intruder')];
  return faultRoute('skyprobe-fault-takeover', intruder.namespace, 'http', {
    hostnames: [shop.generatedHost],
    rules: [
      {
        matches: [{ path: { type: 'Exact', value: '/isolation' } }],
        backendRefs: [{ name: intruder.app, port: 80 }],
      },
    ],
  });
};
const owner = (a: InstanceApp) => `${a.org}/${a.app}`;

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
          return { ok: m.includes(`already claimed by app ${owner(shop)}`), evidence: { refused: m }, message: m };
        }
      },
    );
    for (const host of [shop.generatedHost, ...shop.customDomains]) {
      // Converge first (the edge may still be programming routes), then sample: every answer must be acme's.
      await appAnswers(ctx, shop, host, 'http');
      await ctx.check(`${host} answers only from ${owner(shop)}`, async () => {
        const seen: Record<string, number> = {};
        const url = `http://${host}/isolation`;
        const exchanges = await sample(10, async () => {
          const r = await ctx.env.http(url);
          const app = parseEcho(r)?.app ?? `status ${r.status}`;
          seen[app] = (seen[app] ?? 0) + 1;
          return exchange(url, r);
        });
        return {
          ok: Object.keys(seen).join() === owner(shop),
          evidence: { answeredBy: seen, exchanges: exchanges.slice(0, 3) },
          message: `answered by ${JSON.stringify(seen)}`,
        };
      });
    }
  },
  faults: [
    {
      name: 'conflicting route wins (a route in org evil, below the platform, claims the host)',
      failingCheck: ({ app }) => `${app('shop').generatedHost} answers only from ${owner(app('shop'))}`,
      async inject({ env, routing }) {
        const intruder = env.app('intruder');
        await env.deploy({ ...intruder, customDomains: [] }, routing);
        await takeover(env).add(env);
        await waitUntil(
          'the takeover route wins',
          async () =>
            parseEcho(await env.http(`http://${env.app('shop').generatedHost}/isolation`))?.app === owner(intruder),
          { timeoutMs: TIMEOUTS.faultAtEdge, intervalMs: POLL.edge },
        );
      },
      async revert({ env, routing }) {
        await takeover(env).remove(env);
        await env.remove({ ...env.app('intruder'), customDomains: [] }, routing);
      },
    },
  ],
});
