/**
 * The scale case of npm run bench (issue #15): `npm run bench -- --scale N --layout L [--routing current|target]
 * [--issuance fast|faithful] [--per-app H]`. A lab of its own with the stack; a fleet of about N HTTPS hosts from
 * the fixture generator (apps of H hosts: the generated host, H - 3 custom domains, an alias, www; one echo
 * backend each) deployed one app after another in layout L, the user's domains pointed at the edge; then:
 *   - from the first deploy until every host passes the four facts and the endpoint (domains check's code, whole
 *     fleet per pass, bounded), and how long the deploys themselves took;
 *   - one more app at that size: from its deploy until its hosts pass;
 *   - RSS and CPU seconds of Traefik, kube-apiserver, etcd and the whole lab (every process with the lab's label),
 *     and the processes and RSS of one app's pod;
 *   - `skyprobe domains check --all` (the whole command): time and hosts/s;
 *   - the size of the largest Gateway object (and ListenerSet), as JSON.
 * A layout that cannot carry the fleet is recorded as what happened (the API's refusals, hosts that never passed),
 * not hidden. The lab is taken down at the end, whatever happened.
 */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { converge } from '../harness/converge.ts';
import { execRunner } from '../harness/exec/runner.ts';
import type { DomainsReport } from '../harness/facts/fact.ts';
import { silentProgress } from '../harness/log.ts';
import { setLabLayout } from '../harness/providers/embedded/lab-layout.ts';
import { labDown, labUp } from '../harness/providers/embedded/lab.ts';
import { labelledProcesses } from '../harness/providers/embedded/processes.ts';
import { deployTarget } from '../harness/providers/embedded/stack.ts';
import { labEnv } from '../harness/scenario/envs/lab-env.ts';
import { userPointsDomainsAtLb, usersPointDomainsAtLb } from '../harness/scenario/steps.ts';
import { type AppFixture, appHosts } from '../harness/stack/app-fixture.ts';
import { deployApp } from '../harness/stack/deploy.ts';
import { EDGE_NAMESPACE } from '../harness/stack/edge-objects.ts';
import { fleetApp, fleetOfHosts } from '../harness/stack/generate.ts';
import type { Issuance } from '../harness/stack/issuance.ts';
import type { Layout } from '../harness/stack/layout.ts';
import { orgNamespace } from '../harness/stack/render.ts';
import type { Routing } from '../harness/stack/routing.ts';
import { POLL, TIMEOUTS } from '../harness/timeouts.ts';

export interface ScaleBenchOptions {
  hosts: number;
  layout: Layout;
  routing: Routing;
  issuance: Issuance;
  perApp: number;
  /** Bound of "every host passes", ms. */
  greenWithinMs: number;
  bin: string;
  log: (line: string) => void;
}

const CLK_TCK = 100;
interface ProcUse {
  rssMiB: number;
  cpuSeconds: number;
  processes: number;
}
function procUse(pids: number[]): ProcUse {
  let kib = 0;
  let ticks = 0;
  let n = 0;
  for (const pid of pids) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
      n++;
    } catch {
      // gone
    }
  }
  return { rssMiB: Math.round(kib / 1024), cpuSeconds: Math.round(ticks / CLK_TCK), processes: n };
}
const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ');
  } catch {
    return '';
  }
};
/** RSS and CPU of the lab's components by name, and of the whole lab. */
function labUse() {
  const pids = [...labelledProcesses().keys()];
  const by = (test: (pid: number) => boolean) => procUse(pids.filter(test));
  return {
    traefik: by((p) => comm(p) === 'traefik'),
    kubeApiserver: by((p) => comm(p) === 'kube-apiserver'),
    etcd: by((p) => comm(p) === 'etcd'),
    certManager: by((p) => /cert-manager|controller/.test(comm(p)) && /cert-manager/.test(cmdline(p))),
    echoBackends: by((p) => /echo-server\.mjs/.test(cmdline(p))),
    wholeLab: procUse(pids),
  };
}

/** The processes and RSS of one app's pod: every lab process whose command line or environment names its pod. */
function podUse(podKey: string): ProcUse & { commands: string[] } {
  const pids = [...labelledProcesses().keys()].filter((p) => {
    try {
      return readFileSync(`/proc/${p}/environ`, 'latin1').includes(`SKYPROBE_POD=${podKey}`);
    } catch {
      return false;
    }
  });
  return { ...procUse(pids), commands: pids.map((p) => cmdline(p).slice(0, 120)) };
}

const good = (h: DomainsReport['hosts'][number]) =>
  (['metadata', 'routing', 'dns', 'tls'] as const).every((n) => h.facts[n].status === 'pass') &&
  h.endpoint.status === 'pass';

export async function benchScale(o: ScaleBenchOptions) {
  const t0 = Date.now();
  await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true, issuance: o.issuance });
  const labUpMs = Date.now() - t0;
  try {
    const env0 = labEnv();
    setLabLayout(env0.lab.dir, o.layout);
    const env = labEnv();
    const t = deployTarget(env.lab, env.k);
    const { shape, apps } = fleetOfHosts(o.hosts, 'bn-', o.perApp);
    const hosts = apps.flatMap((a) => appHosts(a).map((h) => h.host));
    o.log(`scale: ${apps.length} apps, ${hosts.length} hosts, ${o.layout}, ${o.routing} routing, ${o.issuance}`);
    const before = labUse();
    const refused: { app: string; reason: string }[] = [];
    const deployStart = Date.now();
    await usersPointDomainsAtLb(env, apps);
    for (const a of apps)
      await deployApp(t, a, o.routing).catch((err: unknown) =>
        refused.push({ app: `${a.org}/${a.app}`, reason: (err as Error).message }),
      );
    const deploysMs = Date.now() - deployStart;
    o.log(`scale: deploys ${deploysMs} ms, ${refused.length} refused`);
    let last: DomainsReport | undefined;
    const passes: { atMs: number; passing: number; ms: number }[] = [];
    const green = await converge(
      async () => {
        const p0 = Date.now();
        last = await env.facts(hosts);
        const passing = last.hosts.filter(good).length;
        passes.push({ atMs: Date.now() - deployStart, passing, ms: Date.now() - p0 });
        o.log(`scale: ${passing}/${hosts.length} hosts pass at ${Math.round((Date.now() - deployStart) / 1000)} s`);
        return { ok: passing === hosts.length, evidence: passing };
      },
      { successes: 1, timeoutMs: o.greenWithinMs, intervalMs: POLL.slow, keep: 2 },
    );
    const allGreenMs = green.ok ? (passes.at(-1)?.atMs ?? 0) : undefined;
    const failing = (last?.hosts ?? [])
      .filter((h) => !good(h))
      .slice(0, 10)
      .map((h) => ({
        host: h.host,
        facts: Object.fromEntries(Object.entries(h.facts).map(([k, f]) => [k, `${f.status}: ${f.summary}`])),
        endpoint: `${h.endpoint.status}: ${h.endpoint.summary}`,
      }));
    const atSize = labUse();
    // One more app at this size.
    const extra = fleetApp('bn-extra', 'a0', { customDomains: Math.max(1, o.perApp - 3), aliases: 1, www: true });
    const extraHosts = appHosts(extra).map((h) => h.host);
    const e0 = Date.now();
    let extraRefused: string | undefined;
    await userPointsDomainsAtLb(env, extra);
    await deployApp(t, extra, o.routing).catch((err: unknown) => {
      extraRefused = (err as Error).message;
    });
    const extraDeployMs = Date.now() - e0;
    const extraGreen = extraRefused
      ? undefined
      : await converge(
          async () => {
            const r = await env.facts(extraHosts);
            return { ok: r.hosts.every(good), evidence: r.hosts.filter(good).length };
          },
          { successes: 1, timeoutMs: TIMEOUTS.endpointReady, intervalMs: POLL.edge, keep: 2 },
        );
    const oneMoreAppMs = extraGreen?.ok ? Date.now() - e0 : undefined;
    // domains check --all, the whole command.
    const d0 = Date.now();
    const all = await execa('node', [o.bin, 'domains', 'check', '--all', '--json'], { reject: false });
    const allMs = Date.now() - d0;
    let allHosts = 0;
    let notJson: string | undefined;
    try {
      allHosts = (JSON.parse(all.stdout) as DomainsReport).hosts.length;
    } catch (err) {
      notJson = `${(err as Error).message} (${all.stdout.length} bytes on stdout; stderr: ${all.stderr.slice(-300)})`;
    }
    // The largest Gateway (and ListenerSet) as JSON.
    const gws = (await env.k.objects.list('gateway.networking.k8s.io/v1', 'Gateway', EDGE_NAMESPACE)).items;
    const sizes = gws.map((g) => ({
      name: g.metadata?.name,
      bytes: JSON.stringify(g).length,
      listeners: (g as unknown as { spec: { listeners: unknown[] } }).spec.listeners.length,
    }));
    const sets = await env.k.objects
      .list('gateway.networking.k8s.io/v1', 'ListenerSet')
      .then((l) => l.items.map((s) => JSON.stringify(s).length))
      .catch(() => [] as number[]);
    // One app's pod: its processes and memory.
    const ns = orgNamespace((apps[0] as AppFixture).org);
    const pods = await env.k.core.listNamespacedPod({ namespace: ns });
    const pod = `${ns}/${pods.items[0]?.metadata?.name ?? ''}`;
    const oneApp = podUse(pod);
    return {
      hosts: hosts.length,
      apps: apps.length,
      shape,
      layout: o.layout,
      routing: o.routing,
      issuance: o.issuance,
      labUpMs,
      deploysMs,
      refused: { count: refused.length, first: refused.slice(0, 3) },
      allGreenMs,
      green: { ok: green.ok, boundMs: o.greenWithinMs, passes, failing },
      oneMoreApp: { hosts: extraHosts.length, deployMs: extraDeployMs, greenMs: oneMoreAppMs, refused: extraRefused },
      use: { beforeDeploy: before, atSize, afterAll: labUse() },
      oneAppPod: { pod, ...oneApp },
      domainsCheckAll: {
        ms: allMs,
        exitCode: all.exitCode,
        hosts: allHosts,
        hostsPerSecond: allHosts ? Math.round((allHosts / allMs) * 10000) / 10 : 0,
        ...(notJson ? { notJson } : {}),
      },
      largestGateway: sizes.sort((a, b) => b.bytes - a.bytes)[0],
      gateways: sizes,
      largestListenerSetBytes: sets.length ? Math.max(...sets) : undefined,
    };
  } finally {
    await labDown(execRunner);
  }
}
