/**
 * Network namespaces and links, through iproute2. Each function issues its commands as `ip -n NS -batch -`
 * (one process per namespace), so building the whole lab network costs a few dozen milliseconds.
 */
import { CommandError, tail } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HARNESS_LINK,
  type HostPlan,
  LAB_ROUTES,
  PUBLIC_DNS_IP,
  SEGMENTS,
  type SegmentName,
  netnsName,
  rootLinkName,
} from './address-plan.ts';
import { runChecked } from '../../exec/checked.ts';
import { TIMEOUTS, seconds } from '../../timeouts.ts';

/** Run iproute2 commands (without the leading `ip`) in one namespace (undefined: the root namespace). */
export async function ipBatch(run: Runner, ns: string | undefined, lines: string[], what: string): Promise<void> {
  if (lines.length === 0) return;
  const args = [...(ns ? ['-n', ns] : []), '-batch', '-'];
  const res = await run('ip', args, { input: `${lines.join('\n')}\n`, timeoutMs: TIMEOUTS.ipBatch });
  if (res.exitCode !== 0) {
    const failed = /Command failed -:(\d+)/.exec(res.output);
    const line = failed ? lines[Number(failed[1]) - 1] : undefined;
    const said = tail(
      res.output
        .split('\n')
        .filter((l) => !/^Command failed/.test(l))
        .join('\n'),
      1,
    );
    throw new CommandError(`failed to ${what}: ${said || `exit ${res.exitCode}`}`, {
      command: `ip ${args.join(' ')} <<< '${line ?? lines.join('; ')}'`,
      exitCode: res.exitCode,
      outputTail: tail(res.output, 3),
      hint: line ? `the failing command was: ip ${ns ? `-n ${ns} ` : ''}${line}` : undefined,
    });
  }
}

/** Set sysctls inside a namespace. */
export async function sysctls(run: Runner, ns: string, values: Record<string, string>): Promise<void> {
  await runChecked(
    run,
    ['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...Object.entries(values).map(([k, v]) => `${k}=${v}`)],
    { what: `set sysctls in ${ns}`, timeoutMs: TIMEOUTS.ipCommand },
  );
}

const BRIDGE: Record<SegmentName, string> = { cluster: 'br-c', internet: 'br-i', lb: 'br-l' };
const prefixOf = (cidr: string) => cidr.split('/')[1];

/** The fabric: the lab's router, one bridge per segment, and the harness's veth with routes for the lab only. */
export async function createFabric(run: Runner, labId: string): Promise<void> {
  const fabric = netnsName(labId, 'fabric');
  await ipBatch(run, undefined, [`netns add ${fabric}`], `create namespace ${fabric}`);
  const lines = ['link set lo up'];
  for (const [seg, s] of Object.entries(SEGMENTS) as [SegmentName, (typeof SEGMENTS)[SegmentName]][]) {
    const br = BRIDGE[seg];
    lines.push(
      `link add ${br} type bridge`,
      `addr add ${s.gateway}/${prefixOf(s.cidr)} dev ${br}`,
      `link set ${br} up`,
    );
  }
  await ipBatch(run, fabric, lines, 'set up the lab fabric');
  await sysctls(run, fabric, { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.rp_filter': '0' });
  const root = rootLinkName(labId);
  await ipBatch(
    run,
    undefined,
    [
      `link add ${root} type veth peer name h0 netns ${fabric}`,
      `addr add ${HARNESS_LINK.root}/${HARNESS_LINK.prefix} dev ${root}`,
      `link set ${root} up`,
    ],
    `create the harness link ${root}`,
  );
  writeLabResolvConf(fabric);
  await ipBatch(
    run,
    fabric,
    [`addr add ${HARNESS_LINK.fabric}/${HARNESS_LINK.prefix} dev h0`, 'link set h0 up'],
    'address the harness link',
  );
  await ipBatch(
    run,
    undefined,
    LAB_ROUTES.map((r) => `route add ${r} via ${HARNESS_LINK.fabric} dev ${root}`),
    'route the lab ranges through the harness link (is another lab or network using them? see: ip route)',
  );
}

/** A host: its namespace, one veth per segment to the fabric's bridge, addresses, default route. */
export async function createHost(
  run: Runner,
  labId: string,
  plan: HostPlan,
  extra: { forward?: boolean } = {},
): Promise<string> {
  const ns = netnsName(labId, plan.role);
  const fabric = netnsName(labId, 'fabric');
  await ipBatch(run, undefined, [`netns add ${ns}`], `create namespace ${ns}`);
  const fabricLines: string[] = [];
  const hostLines = ['link set lo up'];
  plan.addresses.forEach((a, i) => {
    const outer = `${a.segment[0]}-${plan.role}`.slice(0, 15);
    fabricLines.push(
      `link add ${outer} type veth peer name eth${i} netns ${ns}`,
      `link set ${outer} master ${BRIDGE[a.segment]}`,
      `link set ${outer} up`,
    );
    hostLines.push(`addr add ${a.ip}/${prefixOf(SEGMENTS[a.segment].cidr)} dev eth${i}`, `link set eth${i} up`);
  });
  const first = plan.addresses[0];
  if (first) hostLines.push(`route add default via ${SEGMENTS[first.segment].gateway}`);
  await ipBatch(run, fabric, fabricLines, `link ${ns} to the fabric`);
  await ipBatch(run, ns, hostLines, `address ${ns}`);
  if (extra.forward) await sysctls(run, ns, { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.rp_filter': '0' });
  // Name lookups of every lab program go to the lab's public DNS, never to the machine's resolver.
  writeLabResolvConf(ns);
  return ns;
}

export function writeLabResolvConf(ns: string, nameserver = PUBLIC_DNS_IP): void {
  const dir = join('/etc/netns', ns);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'resolv.conf'),
    `nameserver ${nameserver}\noptions timeout:${seconds(TIMEOUTS.digTry)} attempts:2\n`,
  );
}

/** Route a node's pod CIDR through the node's address. */
export async function routePodCidr(run: Runner, labId: string, podCidr: string, via: string): Promise<void> {
  await ipBatch(
    run,
    netnsName(labId, 'fabric'),
    [`route replace ${podCidr} via ${via}`],
    `route ${podCidr} via ${via}`,
  );
}

/** Namespaces whose names start with a prefix. */
export async function listNetns(run: Runner, prefix: string): Promise<string[]> {
  const res = await run('ip', ['netns', 'list'], { timeoutMs: TIMEOUTS.ipCommand });
  return res.output
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}
