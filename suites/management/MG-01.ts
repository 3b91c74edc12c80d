/** MG-01: the control plane reaches the machine's Talos API over SideroLink (ULA) while the machine is behind NAT. */
import { converge } from '../../harness/converge.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import { within } from '../../harness/scenario/steps.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/** The NAT's rule that drops SideroLink (WireGuard's UDP port), inserted (-I) or deleted (-D). */
const dropOverlay = (op: '-I' | '-D', wgPort: number) => [
  'iptables',
  op,
  'FORWARD',
  '-p',
  'udp',
  '--dport',
  String(wgPort),
  '-j',
  'DROP',
];

export default defineScenario({
  id: 'MG-01',
  title: "Control plane reaches the machine's Talos API over SideroLink while the machine is behind NAT",
  features: ['SideroLink', 'WireGuard', 'NAT', 'TalosAPI'],
  apps: [],
  routing: ['current'],
  // management: env.mgmt (the SideroLink stand-in; only the embedded lab has it).
  needs: ['management'],
  async body(ctx) {
    const MGMT = ctx.env.mgmt.addresses();
    await ctx.check('the overlay has a recent handshake with the machine', async () => {
      const o = await ctx.env.mgmt.overlay();
      const peer = o.peers.find((p) => p.allowedIps.includes(`${MGMT.machineUla}/128`));
      return {
        ok: o.up && peer?.handshakeAgeS !== undefined && peer.handshakeAgeS < 180,
        evidence: o,
        message: peer
          ? `last handshake ${peer.handshakeAgeS ?? 'never'}s ago, endpoint ${peer.endpoint}`
          : 'no peer for the machine',
      };
    });
    await ctx.check('the Talos API answers over SideroLink from the control plane', async () => {
      const c = await converge(
        async () => {
          const a = await ctx.env.mgmt.apid(MGMT.machineUla);
          return { ok: a.ok && a.hostname === MGMT.machine.name, evidence: a };
        },
        { timeoutMs: within(ctx, TIMEOUTS.overlayUp), intervalMs: POLL.edge },
      );
      const last = c.attempts.at(-1)?.evidence;
      return {
        ok: c.ok,
        evidence: c,
        message: last?.ok ? `${last.hostname} ${last.tag} in ${last.latencyMs} ms` : `${last?.target}: ${last?.error}`,
      };
    });
    await ctx.check("the machine's endpoint as the control plane sees it is the NAT's public address", async () => {
      const peer = (await ctx.env.mgmt.overlay()).peers.find((p) => p.allowedIps.includes(`${MGMT.machineUla}/128`));
      return {
        ok: peer?.endpoint?.startsWith(`${MGMT.nat.publicIp}:`) === true,
        evidence: peer,
        message: `endpoint ${peer?.endpoint ?? 'none'} (NAT ${MGMT.nat.publicIp}, machine LAN ${MGMT.machine.lanIp})`,
      };
    });
  },
  faults: [
    {
      name: 'overlay down (the NAT drops SideroLink)',
      failingCheck: 'the Talos API answers over SideroLink from the control plane',
      async inject({ env }) {
        await env.mgmt.exec('nat', dropOverlay('-I', env.mgmt.addresses().wgPort));
      },
      async revert({ env }) {
        await env.mgmt.exec('nat', dropOverlay('-D', env.mgmt.addresses().wgPort));
      },
    },
    {
      name: 'wrong peer key',
      failingCheck: 'the overlay has a recent handshake with the machine',
      async inject({ env }) {
        const MGMT = env.mgmt.addresses();
        const { machine } = env.mgmt.publicKeys();
        const wrong = (await env.mgmt.exec('cp', ['sh', '-c', 'wg genkey | wg pubkey'])).output.trim();
        await env.mgmt.exec('cp', ['wg', 'set', env.mgmt.iface('cp'), 'peer', machine, 'remove']);
        await env.mgmt.exec('cp', [
          'wg',
          'set',
          env.mgmt.iface('cp'),
          'peer',
          wrong,
          'allowed-ips',
          `${MGMT.machineUla}/128`,
        ]);
      },
      async revert({ env }) {
        const MGMT = env.mgmt.addresses();
        const { machine } = env.mgmt.publicKeys();
        const dump = (await env.mgmt.exec('cp', ['wg', 'show', env.mgmt.iface('cp'), 'peers'])).output
          .trim()
          .split('\n')
          .filter(Boolean);
        for (const k of dump)
          if (k !== machine) await env.mgmt.exec('cp', ['wg', 'set', env.mgmt.iface('cp'), 'peer', k, 'remove']);
        await env.mgmt.exec('cp', [
          'wg',
          'set',
          env.mgmt.iface('cp'),
          'peer',
          machine,
          'allowed-ips',
          `${MGMT.machineUla}/128`,
        ]);
        // The machine re-handshakes with its next keepalive; ask it to now by sending over the overlay.
        await env.mgmt.exec('machine', ['ping', '-6', '-c', '1', '-W', '1', MGMT.serverUla]);
      },
    },
  ],
});
