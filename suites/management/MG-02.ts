/** MG-02: the machine's LAN address is not reachable from the control plane or the internet; the NAT lets nothing in. */
import type { MgmtAddresses } from '../../harness/scenario/env.ts';
import { defineScenario } from '../../harness/scenario/define.ts';

/** A port forward on the NAT to the machine's apid: the DNAT rule and the FORWARD rule that lets it through. */
const portForward = (a: MgmtAddresses) => [
  [
    'iptables',
    '-t',
    'nat',
    'PREROUTING',
    '-i',
    'eth0',
    '-p',
    'tcp',
    '--dport',
    String(a.apidPort),
    '-j',
    'DNAT',
    '--to-destination',
    `${a.machine.lanIp}:${a.apidPort}`,
  ],
  ['iptables', 'FORWARD', '-i', 'eth0', '-o', 'lan', '-p', 'tcp', '--dport', String(a.apidPort), '-j', 'ACCEPT'],
];
const rule = (r: string[], op: '-I' | '-D') => {
  const i = r[1] === '-t' ? 3 : 1;
  return [...r.slice(0, i), op, ...r.slice(i)];
};

export default defineScenario({
  id: 'MG-02',
  title: "The machine's LAN address is not reachable from the control plane or the internet",
  features: ['NAT', 'SideroLink'],
  apps: [],
  routing: ['current'],
  // management: env.mgmt.tcp from the control plane and the internet host; internet: env.lbIp.
  needs: ['internet', 'management'],
  async body(ctx) {
    const MGMT = ctx.env.mgmt.addresses();
    for (const from of ['cp', 'internet']) {
      await ctx.check(`the machine's LAN address is not reachable from ${from}`, async () => {
        const t = await ctx.env.mgmt.tcp(from, MGMT.machine.lanIp, MGMT.apidPort);
        return { ok: !t.open, evidence: t, message: t.detail };
      });
    }
    await ctx.check('nothing reaches the machine inbound through the NAT', async () => {
      const t = await ctx.env.mgmt.tcp('internet', MGMT.nat.publicIp, MGMT.apidPort);
      return { ok: !t.open, evidence: t, message: t.detail };
    });
    await ctx.check(
      'the machine still reaches out through the NAT (control: the fixture is not simply cut off)',
      async () => {
        const t = await ctx.env.mgmt.tcp('machine', ctx.env.lbIp, 80);
        return { ok: t.open, evidence: t, message: t.detail };
      },
    );
  },
  faults: [
    {
      name: 'NAT leaks inbound (a port forward to the machine)',
      failingCheck: 'nothing reaches the machine inbound through the NAT',
      async inject({ env }) {
        for (const r of portForward(env.mgmt.addresses())) await env.mgmt.exec('nat', rule(r, '-I'));
      },
      async revert({ env }) {
        for (const r of portForward(env.mgmt.addresses())) await env.mgmt.exec('nat', rule(r, '-D'));
      },
    },
  ],
});
