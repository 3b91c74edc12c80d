/** DNS-01: Satusky's DNS automation publishes the generated host (A -> load balancer) and removes it on delete. */
import { defineScenario } from '../../harness/scenario/define.ts';
import { redeploy } from '../../harness/scenario/steps.ts';
import { converge } from '../../harness/converge.ts';
import { SATUSKY_ZONE } from '../../harness/stack/public-dns.ts';
import { POLL } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'DNS-01',
  title: 'Generated host published automatically (A -> load balancer), removed on delete',
  features: ['DNSAutomation'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  async body(ctx) {
    const shop = ctx.env.app('shop');
    const published = async (host: string, want: string[], name: string) =>
      ctx.check(name, async () => {
        const c = await converge(
          async () => {
            const a = await ctx.env.dns.query(host, 'A');
            const found = a.answers.filter((x) => x.type === 'A').map((x) => x.value);
            const answered = a.rcode === 'NOERROR' || (want.length === 0 && a.rcode === 'NXDOMAIN');
            return { ok: answered && found.join() === want.join(), evidence: a };
          },
          { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
        );
        const last = c.attempts.at(-1)?.evidence;
        return {
          ok: c.ok,
          evidence: c,
          message: `expected A ${JSON.stringify(want)} from ${ctx.env.publicDns}, found ${last?.rcode} ${JSON.stringify(last?.answers.map((x) => x.value) ?? [])}`,
        };
      });
    await published(shop.generatedHost, [ctx.env.lbIp], `${shop.generatedHost} published with A ${ctx.env.lbIp}`);
    const pop = ctx.env.app('pop');
    await ctx.env.deploy(pop, ctx.routing);
    await published(pop.generatedHost, [ctx.env.lbIp], 'a newly deployed app is published');
    await ctx.env.remove(pop, ctx.routing);
    await published(pop.generatedHost, [], 'a deleted app is unpublished');
  },
  faults: [
    {
      name: 'record missing',
      // The embedded lab's load balancer: twins run there only.
      failingCheck: ({ app }) => `${app('shop').generatedHost} published with A 203.0.113.10`,
      async inject({ env }) {
        const host = env.app('shop').generatedHost;
        await env.userDns.edit(SATUSKY_ZONE, (r) => r.name === host, []);
      },
      revert: redeploy('shop'),
    },
    {
      name: 'wrong IP',
      // The embedded lab's load balancer: twins run there only.
      failingCheck: ({ app }) => `${app('shop').generatedHost} published with A 203.0.113.10`,
      async inject({ env }) {
        const host = env.app('shop').generatedHost;
        await env.userDns.edit(SATUSKY_ZONE, (r) => r.name === host, [
          { name: host, type: 'A', value: '203.0.113.99', by: 'satusky' },
        ]);
      },
      revert: redeploy('shop'),
    },
  ],
});
