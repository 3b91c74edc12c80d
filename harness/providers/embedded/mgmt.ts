/**
 * The management path on the embedded lab: a machine with only a private LAN address behind a NAT router
 * (outbound masqueraded, nothing inbound), a SideroLink stand-in (wireguard-go on both ends, ULA addresses from
 * the SideroLink prefix, the machine dialling out with a keepalive), and a Talos API stand-in on the machine.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../../exec/runner.ts';
import { repoRoot } from '../../paths.ts';
import { MGMT, SEGMENTS, netnsName, wgIface } from './address-plan.ts';
import { ipBatch, sysctls, writeLabResolvConf } from './netns.ts';
import { type Pki, issueCert } from './pki.ts';
import type { LabProcess, StartSpec } from './processes.ts';
import { waitFor } from './processes.ts';
import type { LabState } from './state.ts';
import { runChecked } from '../../exec/checked.ts';
import type { ApidClient, OverlayAt } from '../../probes/mgmt.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';

export interface MgmtContext {
  state: LabState;
  pki: Pki;
  run: Runner;
  start: (spec: StartSpec) => LabProcess;
  step: <T>(name: string, body: () => Promise<T>) => Promise<T>;
}

/** Files of the management path inside the lab folder (keys mode 0600, removed with the lab). */
export function mgmtPaths(labDir: string) {
  const keys = join(labDir, 'mgmt');
  return {
    keys,
    cpKey: join(keys, 'cp.key'),
    cpPub: join(keys, 'cp.pub'),
    machineKey: join(keys, 'machine.key'),
    machinePub: join(keys, 'machine.pub'),
  };
}

/** Where this lab's overlay is read (probes/mgmt.ts overlayStatus): the control plane's side, or the machine's. */
export function labOverlay(lab: LabState, role = 'cp'): OverlayAt {
  return { netns: lab.hosts[role]?.netns ?? '', iface: wgIface(lab.id, role === 'machine' ? 'machine' : 'cp') };
}

/** How a lab host (default: the control plane) dials the machine's apid: Talos tooling's client certificate. */
export function labApidClient(lab: LabState, from = 'cp'): ApidClient {
  const pki = join(lab.dir, 'pki');
  return {
    netns: lab.hosts[from]?.netns ?? '',
    script: join(repoRoot(), 'harness', 'mgmt', 'apid-client.mjs'),
    port: MGMT.apidPort,
    cert: join(pki, 'talosctl.crt'),
    key: join(pki, 'talosctl.key'),
    ca: join(pki, 'ca.crt'),
  };
}

const must = async (run: Runner, file: string, args: string[], what: string, input?: string): Promise<string> =>
  (await runChecked(run, [file, ...args], { what, input, timeoutMs: TIMEOUTS.labCommand })).trim();

export const inNs = (ns: string, argv: string[]) => ['netns', 'exec', ns, ...argv];

/** The wg interface exists once wireguard-go has created it. */
async function linkExists(run: Runner, ns: string, iface: string): Promise<boolean> {
  return (await run('ip', ['-n', ns, 'link', 'show', iface], { timeoutMs: TIMEOUTS.ipQuery })).exitCode === 0;
}

export async function upMgmt(c: MgmtContext): Promise<void> {
  const { state, run } = c;
  const id = state.id;
  const nat = netnsName(id, MGMT.nat.role);
  const machine = netnsName(id, MGMT.machine.role);
  const cp = netnsName(id, 'cp');
  const fabric = netnsName(id, 'fabric');
  const p = mgmtPaths(state.dir);
  await c.step('management network: NAT router and the machine behind it', async () => {
    await ipBatch(
      run,
      undefined,
      [`netns add ${nat}`, `netns add ${machine}`],
      'create the NAT and machine namespaces',
    );
    await ipBatch(
      run,
      fabric,
      [`link add i-nat type veth peer name eth0 netns ${nat}`, 'link set i-nat master br-i', 'link set i-nat up'],
      'link the NAT router to the internet',
    );
    await ipBatch(
      run,
      nat,
      [
        'link set lo up',
        `addr add ${MGMT.nat.publicIp}/24 dev eth0`,
        'link set eth0 up',
        `route add default via ${SEGMENTS.internet.gateway}`,
        `link add lan type veth peer name eth0 netns ${machine}`,
        `addr add ${MGMT.nat.lanIp}/${MGMT.lanPrefix} dev lan`,
        'link set lan up',
      ],
      'address the NAT router',
    );
    await ipBatch(
      run,
      machine,
      [
        'link set lo up',
        `addr add ${MGMT.machine.lanIp}/${MGMT.lanPrefix} dev eth0`,
        'link set eth0 up',
        `route add default via ${MGMT.nat.lanIp}`,
      ],
      'address the machine',
    );
    await sysctls(run, nat, { 'net.ipv4.ip_forward': '1' });
    // Outbound from the LAN is masqueraded; inbound only as replies.
    for (const rule of [
      [
        '-t',
        'nat',
        '-A',
        'POSTROUTING',
        '-s',
        `${MGMT.machine.lanIp.replace(/\.\d+$/, '.0')}/${MGMT.lanPrefix}`,
        '-o',
        'eth0',
        '-j',
        'MASQUERADE',
      ],
      ['-P', 'FORWARD', 'DROP'],
      ['-A', 'FORWARD', '-i', 'lan', '-o', 'eth0', '-j', 'ACCEPT'],
      [
        '-A',
        'FORWARD',
        '-i',
        'eth0',
        '-o',
        'lan',
        '-m',
        'conntrack',
        '--ctstate',
        'ESTABLISHED,RELATED',
        '-j',
        'ACCEPT',
      ],
    ])
      await must(run, 'ip', inNs(nat, ['iptables', ...rule]), `set the NAT rule ${rule.join(' ')}`);
    for (const ns of [nat, machine]) writeLabResolvConf(ns);
    state.hosts.nat = { netns: nat, addresses: [MGMT.nat.publicIp, MGMT.nat.lanIp] };
    state.hosts.machine = { netns: machine, addresses: [MGMT.machine.lanIp, MGMT.machineUla] };
  });
  await c.step('SideroLink overlay (wireguard-go) and the Talos API stand-in', async () => {
    mkdirSync(p.keys, { recursive: true, mode: 0o700 });
    for (const [key, pub] of [
      [p.cpKey, p.cpPub],
      [p.machineKey, p.machinePub],
    ] as const) {
      writeFileSync(key, `${await must(run, 'wg', ['genkey'], 'generate a WireGuard key')}\n`, { mode: 0o600 });
      chmodSync(key, 0o600);
      writeFileSync(
        pub,
        `${await must(run, 'wg', ['pubkey'], 'derive a WireGuard public key', readFileSync(key, 'utf8'))}\n`,
        { mode: 0o600 },
      );
    }
    const cpIf = wgIface(id, 'cp');
    const mIf = wgIface(id, 'machine');
    const cpWg = c.start({ name: 'wireguard-cp', netns: cp, argv: ['wireguard-go', '-f', cpIf] });
    const machineWg = c.start({ name: 'wireguard-machine', netns: machine, argv: ['wireguard-go', '-f', mIf] });
    await waitFor(cpWg, `${cpIf} in the control plane`, () => linkExists(run, cp, cpIf), {
      timeoutMs: TIMEOUTS.overlayLink,
    });
    await waitFor(machineWg, `${mIf} on the machine`, () => linkExists(run, machine, mIf), {
      timeoutMs: TIMEOUTS.overlayLink,
    });
    const pub = async (f: string) => readFileSync(f, 'utf8').trim();
    await must(
      run,
      'ip',
      inNs(cp, [
        'wg',
        'set',
        cpIf,
        'private-key',
        p.cpKey,
        'listen-port',
        String(MGMT.wgPort),
        'peer',
        await pub(p.machinePub),
        'allowed-ips',
        `${MGMT.machineUla}/128`,
      ]),
      'configure the SideroLink server',
    );
    await ipBatch(
      run,
      cp,
      [`addr add ${MGMT.serverUla}/64 dev ${cpIf} nodad`, `link set ${cpIf} up`],
      'address the SideroLink server',
    );
    await must(
      run,
      'ip',
      inNs(machine, [
        'wg',
        'set',
        mIf,
        'private-key',
        p.machineKey,
        'peer',
        await pub(p.cpPub),
        'endpoint',
        `${state.hosts.cp?.addresses[1]}:${MGMT.wgPort}`,
        'allowed-ips',
        MGMT.prefix,
        'persistent-keepalive',
        '25',
      ]),
      'configure the machine side of SideroLink',
    );
    await ipBatch(
      run,
      machine,
      [`addr add ${MGMT.machineUla}/64 dev ${mIf} nodad`, `link set ${mIf} up`],
      'address the machine on SideroLink',
    );
    const server = await issueCert(
      run,
      c.pki,
      'apid',
      '/CN=apid',
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:apid,IP:${MGMT.machineUla},IP:${MGMT.machine.lanIp}\n`,
    );
    await issueCert(
      run,
      c.pki,
      'talosctl',
      '/CN=skyprobe-control-plane/O=os:admin',
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
    );
    const apid = c.start({
      name: 'apid-standin',
      netns: machine,
      argv: [process.execPath, join(repoRoot(), 'harness', 'mgmt', 'apid-standin.mjs')],
      env: {
        APID_CERT: server.cert,
        APID_KEY: server.key,
        APID_CA: c.pki.ca,
        MACHINE_NAME: MGMT.machine.name,
        TALOS_VERSION: MGMT.talosVersion,
      },
    });
    await waitFor(
      apid,
      'the Talos API answering over SideroLink',
      async () => {
        const { apidProbe } = await import('../../probes/mgmt.ts');
        return (await apidProbe(run, labApidClient(state), MGMT.machineUla)).ok;
      },
      { timeoutMs: TIMEOUTS.apidAnswering, intervalMs: POLL.edge },
    );
  });
}
