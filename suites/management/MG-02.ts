/** MG-02: the machine's LAN address is not reachable from the control plane or the internet; the NAT lets nothing in. */
import { MGMT } from '../../harness/providers/embedded/address-plan.ts';
import { defineScenario } from '../../harness/scenario/define.ts';

const FORWARD = [
  'iptables',
  '-t',
  'nat',
  'PREROUTING',
  '-i',
  'eth0',
  '-p',
  'tcp',
  '--dport',
  String(MGMT.apidPort),
  '-j',
  'DNAT',
  '--to-destination',
  `${MGMT.machine.lanIp}:${MGMT.apidPort}`,
];
const ACCEPT = [
  'iptables',
  'FORWARD',
  '-i',
  'eth0',
  '-o',
  'lan',
  '-p',
  'tcp',
  '--dport',
  String(MGMT.apidPort),
  '-j',
  'ACCEPT',
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
        await env.mgmt.exec('nat', rule(FORWARD, '-I'));
        await env.mgmt.exec('nat', rule(ACCEPT, '-I'));
      },
      async revert({ env }) {
        await env.mgmt.exec('nat', rule(FORWARD, '-D'));
        await env.mgmt.exec('nat', rule(ACCEPT, '-D'));
      },
    },
  ],
});
