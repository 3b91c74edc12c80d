/**
 * The embedded lab's life: up (an ordered list of named steps, each reported; any failure removes what was
 * created unless asked to keep it), down, status. Components run as detached processes in the lab's network
 * namespaces; the record of the lab is state.ts's state.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StopWaiting, waitUntil } from '../../converge.ts';
import { SkyprobeError } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';
import { clientsFor, apiStatus } from '../../k8s/client.ts';
import { type Progress, timedStep } from '../../log.ts';
import { repoRoot } from '../../paths.ts';
import { cachePaths, componentDir } from '../../setup/cache.ts';
import { loadPinFile } from '../../setup/components.ts';
import { PIN_FILE, componentBinary } from '../../setup/setup.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';
import { CLUSTER, CLUSTER_DNS_HOST, CONTROL_PLANE, MAX_NODES, netnsName, nodePlan } from './address-plan.ts';
import { apiAgent, readyz } from './apiserver-health.ts';
import * as args from './component-args.ts';
import { createFabric, createHost, routePodCidr } from './netns.ts';
import { makePki } from './pki.ts';
import { liveLab, requireRoot } from './live-lab.ts';
import { type LabProcess, exitedError, isAlive, startProcess, waitFor } from './processes.ts';
import { type LabState, labDir, labDirs, newLabId, readState, writeState } from './state.ts';
import { upMgmt } from './mgmt.ts';
import { crdFiles, upStackEdge, upStackPublic } from './stack.ts';
import { DEFAULT_ISSUANCE, type Issuance } from '../../stack/issuance.ts';
import { sweepLabs } from './sweep.ts';

// Which lab is up lives in live-lab.ts (small, for the verbs that only look); its users import it from here too.
export { liveLab, requireLab, requireRoot } from './live-lab.ts';

export interface UpOptions {
  nodes: number;
  run: Runner;
  progress: Progress;
  /** Keep what was created when a step fails (for debugging). */
  keepOnFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Bring the Satusky routing stack up too (edge, load balancer, public DNS, ACME, cert-manager). */
  stack?: boolean;
  /** How cert-manager hands HTTP-01 challenges to Pebble (stack/issuance.ts); default faithful (DEFAULT_ISSUANCE). */
  issuance?: Issuance;
  /** The process that holds the lab and removes it when done (state.ts heldBy); default: none, a kept lab. */
  heldBy?: number;
  /** Fault injection for the harness's own tests: extra arguments per component name. */
  faults?: { extraArgs?: Record<string, string[]> };
}

export async function labUp(o: UpOptions): Promise<LabState> {
  requireRoot();
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > MAX_NODES)
    throw new SkyprobeError(`--nodes must be a whole number from 1 to ${MAX_NODES}, not ${o.nodes}`);
  const pins = loadPinFile(join(repoRoot(), PIN_FILE));
  const paths = cachePaths(o.env);
  // Every binary is found before anything is created: a missing one points at setup and leaves nothing behind.
  const binaries = new Map<string, string>();
  const wanted = [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kube-proxy',
    'kwok',
    'coredns',
  ];
  if (o.stack) wanted.push('traefik', 'cert-manager-controller', 'acmesolver', 'echo-basic', 'kubectl');
  for (const b of wanted) binaries.set(b, componentBinary(pins, b, paths));
  const dirOf = (name: string) => {
    const c = pins.components.find((x) => x.name === name);
    return c ? componentDir(paths, c) : '';
  };
  const bin = (name: string) => binaries.get(name) as string;
  const kwok = pins.components.find((c) => c.name === 'kwok');
  const stagesDir = join(componentDir(paths, kwok ?? { name: 'kwok', version: '' }), 'stages', 'node');

  const live = liveLab(o.env);
  if (live)
    throw new SkyprobeError(`a lab is already running (id ${live.id}, ${live.status} since ${live.startedAt})`, {
      hint: 'use it (skyprobe lab status), or stop it first: skyprobe lab down',
    });
  const swept = await sweepLabs(o.run, () => true, o.env);
  if (swept.processes.length + swept.namespaces.length + swept.links.length > 0)
    o.progress.info(
      `swept a killed lab: ${swept.processes.length} processes, ${swept.namespaces.length} namespaces, ${swept.links.length} links`,
    );

  const id = newLabId();
  const dir = labDir(id, o.env);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const state: LabState = {
    id,
    dir,
    status: 'starting',
    ownerPid: process.pid,
    heldBy: o.heldBy,
    startedAt: new Date().toISOString(),
    nodes: o.nodes,
    stack: false,
    kubeconfig: join(dir, 'pki', 'admin.kubeconfig'),
    apiServer: args.API_SERVER_URL,
    processes: [],
    hosts: {},
  };
  writeState(state);
  // Steps that do not depend on each other run at once, in branches (below); once one fails, the others start no
  // further step or process, and the lab is removed when all have stopped.
  let failure: { err: unknown } | undefined;
  const stopped = () => new SkyprobeError(`lab up stopped: another step failed`);
  const start = (spec: Parameters<typeof startProcess>[2]): LabProcess => {
    if (failure) throw stopped();
    const extra = o.faults?.extraArgs?.[spec.name] ?? [];
    const p = startProcess(id, logs, { ...spec, argv: [...spec.argv, ...extra] });
    state.processes.push(p);
    writeState(state);
    return p;
  };
  const step = <T>(name: string, body: () => Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(stopped());
    return timedStep(o.progress, 'lab', name, body);
  };
  /** Wait for every branch to end; the first failure (in time) is the one thrown. */
  const together = async (branches: (Promise<unknown> | undefined)[]) => {
    await Promise.allSettled(
      branches.map((b) =>
        b?.catch((err: unknown) => {
          failure ??= { err };
        }),
      ),
    );
    if (failure) throw failure.err;
  };
  try {
    const network = step('network: fabric, control plane, cluster DNS and node hosts', async () => {
      await createFabric(o.run, id);
      for (const plan of [CONTROL_PLANE, CLUSTER_DNS_HOST]) {
        state.hosts[plan.role] = {
          netns: await createHost(o.run, id, plan),
          addresses: plan.addresses.map((a) => a.ip),
        };
      }
      for (let n = 1; n <= o.nodes; n++) {
        const plan = nodePlan(n);
        state.hosts[plan.role] = {
          netns: await createHost(o.run, id, plan, { forward: true }),
          addresses: plan.addresses.map((a) => a.ip),
        };
        await routePodCidr(o.run, id, plan.podCidr, plan.addresses[0]?.ip as string);
      }
      state.hosts.fabric = { netns: netnsName(id, 'fabric'), addresses: [] };
      writeState(state);
    });
    const pkiMade = step('pki: CA, serving and client certificates, kubeconfigs', () =>
      makePki(o.run, join(dir, 'pki'), { url: args.API_SERVER_URL, ips: [args.CP_IP, CLUSTER.apiServiceIp] }),
    );
    await together([network, pkiMade]);
    const pki = await pkiMade;
    const cp = netnsName(id, 'cp');
    const k = clientsFor(state.kubeconfig);
    // Branches from here, each waiting on what it uses and nothing else: the cluster (the apiserver; then the
    // controllers, nodes, kube-proxy and cluster DNS; and the pod runner); the routing stack, whose public DNS and
    // ACME need no apiserver and whose edge waits for it; the management path, which needs neither.
    const api = step('etcd and kube-apiserver', async () => {
      start({ name: 'etcd', netns: cp, argv: args.etcdArgs(bin, join(dir, 'etcd')) });
      const apiserver = start({ name: 'kube-apiserver', netns: cp, argv: args.apiserverArgs(bin, pki) });
      const agent = apiAgent(pki);
      try {
        await waitFor(apiserver, 'apiserver /readyz', () => readyz(agent, args.API_SERVER_URL), {
          timeoutMs: TIMEOUTS.apiserverReady,
          intervalMs: POLL.api,
        });
      } finally {
        await agent.close();
      }
    });
    const cluster = (async () => {
      await api;
      await step('controller-manager, scheduler, kwok', async () => {
        start({ name: 'kube-controller-manager', netns: cp, argv: args.controllerManagerArgs(bin, pki) });
        start({ name: 'kube-scheduler', netns: cp, argv: args.schedulerArgs(bin, pki) });
        start({ name: 'kwok', netns: cp, argv: args.kwokArgs(bin, pki, stagesDir) });
      });
      await clusterNodes();
    })();
    // The pod runner needs only the apiserver (it watches pods; the nodes it serves are in state.json).
    const podRunner = (async () => {
      await api;
      await step('pod runner', async () => {
        const runner = start({
          name: 'pod-runner',
          argv: [process.execPath, join(repoRoot(), 'bin', 'pod-runner.mjs')],
          env: { SKYPROBE_LAB_DIR: dir },
        });
        await waitFor(runner, 'pod runner watching', async () => existsSync(join(dir, 'pod-runner.ready')), {
          timeoutMs: TIMEOUTS.podRunnerReady,
        });
      });
    })();
    const stackCtx = o.stack
      ? {
          state,
          pki,
          run: o.run,
          k,
          bin,
          start,
          step,
          issuance: o.issuance ?? DEFAULT_ISSUANCE.embedded,
          crdFiles: crdFiles({
            gatewayApi: dirOf('gateway-api'),
            certManager: dirOf('cert-manager'),
            traefik: dirOf('traefik'),
          }),
        }
      : undefined;
    const stack = stackCtx
      ? (async () => {
          await upStackPublic(stackCtx);
          await api;
          await upStackEdge(stackCtx);
          writeState(state);
        })()
      : undefined;
    const mgmt = o.stack ? upMgmt({ state, pki, run: o.run, start, step }).then(() => writeState(state)) : undefined;
    await together([api, cluster, podRunner, stack, mgmt]);
    const dead = state.processes.find((p) => !isAlive(p.pid));
    if (dead) throw exitedError(dead);
    state.status = 'up';
    state.readyAt = new Date().toISOString();
    writeState(state);
    return state;

    /** Nodes Ready, then kube-proxy on each and cluster DNS: the cluster's branch after the controllers. */
    async function clusterNodes(): Promise<void> {
      await step(`${o.nodes} nodes Ready (kwok heartbeat)`, async () => {
        for (let n = 1; n <= o.nodes; n++) {
          const plan = nodePlan(n);
          const ip = plan.addresses[0]?.ip as string;
          await k.core.createNode({
            body: {
              metadata: {
                name: plan.name,
                labels: { 'kubernetes.io/hostname': plan.name, 'kubernetes.io/os': 'linux', 'skyprobe.io/lab': id },
              },
              spec: { podCIDR: plan.podCidr, podCIDRs: [plan.podCidr] },
              status: {
                addresses: [
                  { type: 'InternalIP', address: ip },
                  { type: 'Hostname', address: plan.name },
                ],
                capacity: { cpu: '16', memory: '32Gi', pods: '110' },
                allocatable: { cpu: '16', memory: '32Gi', pods: '110' },
              },
            },
          });
        }
        const kwokProc = state.processes.find((p) => p.name === 'kwok') as LabProcess;
        await waitFor(
          kwokProc,
          'every node Ready',
          async () => {
            const nodes = await k.core.listNode();
            return (
              nodes.items.length === o.nodes &&
              nodes.items.every((nd) => nd.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            );
          },
          { timeoutMs: TIMEOUTS.nodesReady, intervalMs: POLL.api },
        );
      });
      await step('kube-proxy on every node, cluster DNS', async () => {
        for (let n = 1; n <= o.nodes; n++) {
          const plan = nodePlan(n);
          start({
            name: `kube-proxy-${plan.name}`,
            netns: netnsName(id, plan.role),
            argv: args.kubeProxyArgs(bin, pki, plan.name, plan.addresses[0]?.ip as string),
          });
        }
        const corefile = join(dir, 'Corefile.cluster');
        writeFileSync(corefile, args.clusterCorefile(pki.kubeconfigs.coredns as string));
        const dns = start({
          name: 'coredns-cluster',
          netns: netnsName(id, 'cdns'),
          argv: args.coreDnsArgs(bin, corefile),
        });
        await createKubeDns(k);
        await waitFor(
          dns,
          'cluster DNS ready',
          async () => {
            const res = await fetch(`http://${args.CLUSTER_DNS_IP}:8181/ready`, {
              signal: AbortSignal.timeout(TIMEOUTS.readyEndpoint),
            });
            return res.ok;
          },
          { timeoutMs: TIMEOUTS.clusterDnsReady, intervalMs: POLL.api },
        );
      });
    }
  } catch (err) {
    if (!o.keepOnFailure) await sweepLabs(o.run, (x) => x === id, o.env);
    throw err;
  }
}

/** The kube-dns Service at the cluster DNS address, with an EndpointSlice naming the CoreDNS host. */
async function createKubeDns(k: ReturnType<typeof clientsFor>): Promise<void> {
  const ports = [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ];
  // kube-system appears a moment after the apiserver is ready.
  await waitUntil(
    'kube-system exists, for the kube-dns Service',
    async () => {
      try {
        await k.core.createNamespacedService({
          namespace: 'kube-system',
          body: {
            metadata: { name: 'kube-dns', labels: { 'k8s-app': 'kube-dns' } },
            spec: { clusterIP: CLUSTER.dnsServiceIp, ports: ports.map((p) => ({ ...p, targetPort: 53 })) },
          },
        });
        return true;
      } catch (err) {
        if (apiStatus(err) !== 404) throw new StopWaiting(err);
        throw err;
      }
    },
    { timeoutMs: TIMEOUTS.kubeSystem, intervalMs: POLL.local },
  );
  await k.discovery.createNamespacedEndpointSlice({
    namespace: 'kube-system',
    body: {
      metadata: {
        name: 'kube-dns-skyprobe',
        labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'skyprobe.io' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [args.CLUSTER_DNS_IP], conditions: { ready: true } }],
      ports,
    },
  });
}

/** Let go of a lab a run held (`run --keep`): it stays up, kept, after the run ends. */
export function keepLab(env?: NodeJS.ProcessEnv): void {
  const lab = liveLab(env);
  if (lab?.heldBy !== undefined) writeState({ ...lab, heldBy: undefined });
}

export async function labDown(run: Runner, env?: NodeJS.ProcessEnv): Promise<{ id?: string; removed: number }> {
  requireRoot();
  const id = liveLab(env)?.id ?? labDirs(env).map((d) => /lab-([0-9a-f]{4})$/.exec(d)?.[1])[0];
  const report = await sweepLabs(run, () => true, env);
  return { id, removed: report.processes.length + report.namespaces.length + report.links.length };
}

export interface ProcessStatus extends LabProcess {
  alive: boolean;
}

export function labStatus(env?: NodeJS.ProcessEnv): (LabState & { procs: ProcessStatus[] }) | undefined {
  const live =
    liveLab(env) ??
    labDirs(env)
      .map((d) => readState(d))
      .find(Boolean);
  if (!live) return undefined;
  return { ...live, procs: live.processes.map((p) => ({ ...p, alive: isAlive(p.pid) })) };
}
