/** MG-03: app traffic never uses the overlay: its counters do not move with app traffic, and app hosts never resolve into the ULA prefix. */
import { defineScenario } from '../../harness/scenario/define.ts';
import { appAnswers, deployWithUserDns, sample } from '../../harness/scenario/steps.ts';
import { TIMEOUTS, seconds } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'MG-03',
  title: 'App traffic never uses the SideroLink overlay',
  features: ['SideroLink', 'DataPathSeparation'],
  apps: ['shop'],
  routing: ['current'],
  // management: env.mgmt (routes, overlay counters, curl from the control plane); internet: env.http, env.dns, env.lbIp.
  needs: ['deploy', 'internet', 'management'],
  alone: "counts the overlay's bytes while app traffic flows: MG-01 beside it would move bytes over the overlay",
  // Its own starting state, whatever ran before on the lab: the app deployed and its domains pointed at the edge.
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const hosts = [app.generatedHost, ...app.customDomains, ...app.aliases];
    const ULA = ctx.env.mgmt.addresses().prefix.replace(/::\/64$/, ':');
    await ctx.check("the control plane's route to the edge does not use the overlay", async () => {
      const r = await ctx.env.mgmt.exec('cp', ['ip', 'route', 'get', ctx.env.lbIp]);
      return {
        ok: r.exitCode === 0 && !r.output.includes(ctx.env.mgmt.iface('cp')),
        evidence: { route: r.output.trim() },
        message: r.output.trim(),
      };
    });
    // The data path works first (observed): otherwise "no bytes on the overlay" would prove nothing.
    for (const h of hosts) await appAnswers(ctx, app, h, 'http');
    await ctx.check('overlay counters stay still while app traffic flows', async () => {
      const total = (o: Awaited<ReturnType<typeof ctx.env.mgmt.overlay>>) =>
        o.peers.reduce((a, p) => a + p.rxBytes + p.txBytes, 0);
      const before = await ctx.env.mgmt.overlay();
      // Ten rounds of app traffic: every host from the internet, and the generated host from the control plane.
      const rounds = await sample(10, async () => {
        let bytes = 0;
        for (const h of hosts) bytes += (await ctx.env.http(`http://${h}/data-path`)).body.length;
        bytes += (
          await ctx.env.mgmt.exec('cp', [
            'curl',
            '-s',
            '-m',
            String(seconds(TIMEOUTS.quickRequest)),
            '--resolve',
            `${app.generatedHost}:80:${ctx.env.lbIp}`,
            `http://${app.generatedHost}/from-control-plane`,
          ])
        ).output.length;
        return bytes;
      });
      const appBytes = rounds.reduce((a, b) => a + b, 0);
      const after = await ctx.env.mgmt.overlay();
      const moved = total(after) - total(before);
      // A WireGuard keepalive or handshake is < 200 bytes; app traffic here is tens of kilobytes.
      return {
        ok: appBytes > 10_000 && moved < 512,
        evidence: { before: before.peers, after: after.peers, overlayBytesMoved: moved, appBytes },
        message: `overlay moved ${moved} B while ${appBytes} B of app traffic flowed`,
      };
    });
    await ctx.check('app hosts never resolve into the SideroLink prefix', async () => {
      const found: Record<string, string[]> = {};
      for (const h of hosts) found[h] = (await ctx.env.dns.resolve(h, 'AAAA')).addresses;
      const bad = Object.entries(found).filter(([, a]) => a.some((x) => x.startsWith(ULA)));
      return {
        ok: bad.length === 0,
        evidence: found,
        message: bad.map(([h, a]) => `${h} -> ${a.join(',')}`).join('; ') || 'no AAAA in the prefix',
      };
    });
  },
  faults: [
    {
      name: 'a route that sends app traffic over the overlay',
      failingCheck: "the control plane's route to the edge does not use the overlay",
      inject: async ({ env }) =>
        void (await env.mgmt.exec('cp', ['ip', 'route', 'add', `${env.lbIp}/32`, 'dev', env.mgmt.iface('cp')])),
      revert: async ({ env }) =>
        void (await env.mgmt.exec('cp', ['ip', 'route', 'del', `${env.lbIp}/32`, 'dev', env.mgmt.iface('cp')])),
    },
  ],
});
