/**
 * DNS-02: a user-owned zone. Satusky publishes nothing there; the user's records are checked against the edge:
 * A records only to the load balancer, no stray AAAA, CNAME chains ending at the edge, CAA allowing the CA.
 */
import { defineScenario } from '../../harness/scenario/define.ts';
import { deployWithUserDns, userPointsDomainsAtLb } from '../../harness/scenario/steps.ts';
import { CA_IDENTITY } from '../../harness/facts/dns.ts';
import { caaAllows } from '../../harness/probes/dns.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import { userZone } from '../../harness/stack/instance.ts';

/** The run's app's first custom domain (its apex) and the user's zone it is in. */
const apexOf = (app: InstanceApp) => app.customDomains[0] as string;
const zoneOf = (app: InstanceApp) => userZone(apexOf(app));

export default defineScenario({
  id: 'DNS-02',
  title: 'User-owned zone: nothing published by Satusky; right records pass, wrong ones fail with expected vs found',
  features: ['UserZone', 'CNAME', 'CAA'],
  apps: ['shop'],
  routing: ['current'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const zone = zoneOf(app);
    await ctx.check('Satusky published nothing in the user zone', async () => {
      const records = ctx.env.userDns.get(zone);
      const platform = records.filter((r) => r.by !== 'user');
      return {
        ok: platform.length === 0,
        evidence: { records },
        message: `records Satusky wrote in ${zone}: ${JSON.stringify(platform)}`,
      };
    });
    for (const host of [...app.customDomains, ...app.aliases, `www.${app.customDomains[0]}`]) {
      await ctx.check(`${host}: A resolves only to the edge`, async () => {
        const r = await ctx.env.dns.resolve(host, 'A');
        return {
          ok: r.addresses.length > 0 && r.addresses.every((a) => a === ctx.env.lbIp),
          evidence: r,
          message: `expected ${ctx.env.lbIp}, found ${JSON.stringify(r.addresses)} via ${r.chain.join(' -> ')}`,
        };
      });
      await ctx.check(`${host}: no stray AAAA`, async () => {
        const r = await ctx.env.dns.resolve(host, 'AAAA');
        return {
          ok: r.addresses.length === 0,
          evidence: r,
          message: `the edge has no IPv6 address, found AAAA ${JSON.stringify(r.addresses)}`,
        };
      });
    }
    await ctx.check(`CAA allows ${CA_IDENTITY}`, async () => {
      const r = await ctx.env.dns.caa(app.customDomains[0] as string);
      return {
        ok: caaAllows(r.records, CA_IDENTITY),
        evidence: r,
        message: `CAA at ${r.at ?? '(none)'}: ${JSON.stringify(r.records)}`,
      };
    });
  },
  faults: [
    {
      name: 'stray AAAA',
      failingCheck: ({ app }) => `${apexOf(app('shop'))}: no stray AAAA`,
      async inject({ env }) {
        const app = env.app('shop');
        await env.userDns.edit(zoneOf(app), () => false, [{ name: apexOf(app), type: 'AAAA', value: '2001:db8::10' }]);
      },
      async revert({ env }) {
        await env.userDns.edit(zoneOf(env.app('shop')), (r) => r.type === 'AAAA', []);
        await userPointsDomainsAtLb(env, env.app('shop'));
      },
    },
    {
      name: 'CNAME to wrong target',
      failingCheck: ({ app }) => `www.${apexOf(app('shop'))}: A resolves only to the edge`,
      async inject({ env }) {
        const app = env.app('shop');
        const zone = zoneOf(app);
        await env.userDns.edit(zone, (r) => r.name === `www.${apexOf(app)}`, [
          { name: `www.${apexOf(app)}`, type: 'CNAME', value: `old-host.${zone}` },
          { name: `old-host.${zone}`, type: 'A', value: '198.51.100.77' },
        ]);
      },
      async revert({ env }) {
        const zone = zoneOf(env.app('shop'));
        await env.userDns.edit(zone, (r) => r.name === `old-host.${zone}`, []);
        await userPointsDomainsAtLb(env, env.app('shop'));
      },
    },
    {
      name: 'CAA forbidding the CA',
      failingCheck: 'CAA allows letsencrypt.org',
      async inject({ env }) {
        const zone = zoneOf(env.app('shop'));
        await env.userDns.edit(zone, () => false, [{ name: zone, type: 'CAA', value: '0 issue "other-ca.example"' }]);
      },
      async revert({ env }) {
        await env.userDns.edit(zoneOf(env.app('shop')), (r) => r.type === 'CAA', []);
      },
    },
    {
      name: 'Satusky writes into the user zone',
      failingCheck: 'Satusky published nothing in the user zone',
      async inject({ env }) {
        const zone = zoneOf(env.app('shop'));
        await env.userDns.edit(zone, () => false, [
          { name: `_satusky.${zone}`, type: 'TXT', value: 'claimed-by-platform', by: 'satusky' },
        ]);
      },
      async revert({ env }) {
        const zone = zoneOf(env.app('shop'));
        await env.userDns.edit(zone, (r) => r.name === `_satusky.${zone}`, []);
      },
    },
  ],
});
