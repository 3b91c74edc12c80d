/**
 * The embedded lab, for real: control plane, kwok nodes, pods as processes in their own namespaces, kube-proxy,
 * cluster DNS. One lab serves the whole file; the last tests take it down and prove nothing is left.
 */
import { readFileSync } from 'node:fs';
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../../exec/runner.ts';
import { applyObjects, parseObjects } from '../../k8s/apply.ts';
import { type Clients, clientsFor } from '../../k8s/client.ts';
import { silentProgress } from '../../log.ts';
import { waitUntil } from '../../converge.ts';
import { podNetnsName } from './address-plan.ts';
import { labDown, labUp, liveLab } from './lab.ts';
import { labelledProcesses } from './processes.ts';
import type { LabState } from './state.ts';

const manifests = (ns: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: echo}}, topologyKey: kubernetes.io/hostname}
      containers:
      - name: echo
        image: skyprobe/echo:1
        env: [{name: PORT, value: "8080"}, {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: ${ns}}
spec:
  selector: {app: echo}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ${ns}}
spec:
  containers: [{name: sh, image: skyprobe/toolbox, command: [sleep, "3600"]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: never-ready, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: never-ready}}
  template:
    metadata: {labels: {app: never-ready}}
    spec:
      containers:
      - name: echo
        image: skyprobe/echo:1
        env: [{name: PORT, value: "8080"}, {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        readinessProbe: {tcpSocket: {port: 9999}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: never-ready, namespace: ${ns}}
spec:
  selector: {app: never-ready}
  ports: [{port: 80, targetPort: 8080}]
`;

const isReady = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const readyIps = (slices: V1EndpointSlice[]) =>
  slices.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort();

/** What the machine holds that a lab could leave behind. */
async function leftovers() {
  const ns = (await execa('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('sky-'));
  const links = (await execa('ip', ['-o', 'link'])).stdout.split('\n').filter((l) => /^\d+: sky/.test(l));
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.includes('/netns/sky-'));
  const etc = (await execa('ls', ['/etc/netns'], { reject: false })).stdout
    .split('\n')
    .filter((l) => l.startsWith('sky-'));
  return { processes: [...labelledProcesses().keys()], ns, links, mounts, etc };
}
const rootIptables = async () =>
  (await execa('iptables-save')).stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/, ''));

describe('the embedded lab', () => {
  let lab: LabState;
  let k: Clients;
  let iptablesBefore: string[];
  const ns = 'lab-test';

  beforeAll(async () => {
    iptablesBefore = await rootIptables();
    lab = await labUp({ nodes: 2, run: execRunner, progress: silentProgress });
    k = clientsFor(lab.kubeconfig);
    await applyObjects(k.objects, parseObjects(manifests(ns)));
  }, 120_000);

  afterAll(async () => {
    if (liveLab()) await labDown(execRunner);
  }, 60_000);

  const pods = async (app: string) =>
    (await k.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items;
  const slices = async (svc: string) =>
    (
      await k.discovery.listNamespacedEndpointSlice({
        namespace: ns,
        labelSelector: `kubernetes.io/service-name=${svc}`,
      })
    ).items;
  const inPod = async (pod: V1Pod, argv: string[]) =>
    execa('ip', ['netns', 'exec', podNetnsName(lab.id, pod.metadata?.uid ?? '').netns, ...argv], {
      reject: false,
      timeout: 10_000,
    });

  it('runs 2 echo replicas as Ready pods with distinct IPs on different nodes, both in the EndpointSlice', async () => {
    const echo = await waitUntil(
      '2 echo pods Ready',
      async () => {
        const p = await pods('echo');
        return p.length === 2 && p.every(isReady) ? p : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const ips = echo.map((p) => p.status?.podIP);
    expect(new Set(ips).size).toBe(2);
    expect(new Set(echo.map((p) => p.spec?.nodeName)).size).toBe(2);
    for (const p of echo) expect(p.status?.podIP).toMatch(new RegExp(`^10\\.244\\.${p.spec?.nodeName?.slice(5)}\\.`));
    await waitUntil(
      'EndpointSlice lists both replicas as ready',
      async () => readyIps(await slices('echo')).join() === [...ips].sort().join(),
      { timeoutMs: 15_000 },
    );
  });

  it('reaches both replicas from a third pod by ClusterIP, FQDN and short name (kube-proxy + cluster DNS)', async () => {
    const client = await waitUntil(
      'client pod Ready',
      async () => {
        const p = await k.core.readNamespacedPod({ name: 'client', namespace: ns });
        return isReady(p) ? p : undefined;
      },
      { timeoutMs: 20_000 },
    );
    const svc = await k.core.readNamespacedService({ name: 'echo', namespace: ns });
    const echoPods = (await pods('echo')).map((p) => p.metadata?.name).sort();
    for (const target of [svc.spec?.clusterIP, `echo.${ns}.svc.cluster.local`, 'echo']) {
      const seen = new Set<string>();
      for (let i = 0; i < 30 && seen.size < 2; i++) {
        const r = await inPod(client, ['curl', '-sS', '-m', '3', `http://${target}/`]);
        expect(r.exitCode, `${target}: ${r.stderr}`).toBe(0);
        seen.add(JSON.parse(r.stdout).pod);
      }
      expect([...seen].sort(), `${target} reached`).toEqual(echoPods);
    }
  });

  it('takes a pod out of Ready within 5 s when its process dies, out of the EndpointSlice, then restarts it', async () => {
    const [victim] = await pods('echo');
    if (!victim?.status?.podIP) throw new Error('no echo pod');
    const pid = Number(/skyprobe:\/\/(\d+)/.exec(victim.status?.containerStatuses?.[0]?.containerID ?? '')?.[1]);
    expect(pid).toBeGreaterThan(1);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await waitUntil(
      'pod not Ready',
      async () => !isReady(await k.core.readNamespacedPod({ name: victim.metadata?.name ?? '', namespace: ns })),
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    await waitUntil(
      'pod IP gone from the ready endpoints',
      async () => !readyIps(await slices('echo')).includes(victim.status?.podIP as string),
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    const back = await waitUntil(
      'pod Ready again after a restart',
      async () => {
        const p = await k.core.readNamespacedPod({ name: victim.metadata?.name ?? '', namespace: ns });
        return isReady(p) && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(back.status?.containerStatuses?.[0]?.containerID).not.toBe(
      victim.status?.containerStatuses?.[0]?.containerID,
    );
    await waitUntil(
      'pod back in the ready endpoints',
      async () => readyIps(await slices('echo')).includes(victim.status?.podIP as string),
      { timeoutMs: 10_000 },
    );
  });

  it('never lists a pod whose readiness probe fails as a ready endpoint, while its process runs', async () => {
    const [pod] = await waitUntil(
      'never-ready pod running',
      async () => {
        const p = await pods('never-ready');
        return p.length === 1 && p[0]?.status?.phase === 'Running' && p[0]?.status?.podIP ? p : undefined;
      },
      { timeoutMs: 20_000 },
    );
    if (!pod) throw new Error('no never-ready pod');
    // The program itself answers: only the probe (tcp 9999) keeps it out.
    const direct = await fetch(`http://${pod.status?.podIP}:8080/`, { signal: AbortSignal.timeout(3000) });
    expect(direct.status).toBe(200);
    for (let i = 0; i < 15; i++) {
      expect(isReady(await k.core.readNamespacedPod({ name: pod.metadata?.name ?? '', namespace: ns }))).toBe(false);
      expect(readyIps(await slices('never-ready'))).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('lab down removes every process, namespace, veth, iptables rule and mount of the lab', async () => {
    const during = await leftovers();
    expect(during.ns.length).toBeGreaterThan(5);
    expect(during.processes.length).toBeGreaterThan(8);
    await labDown(execRunner);
    expect(await leftovers()).toEqual({ processes: [], ns: [], links: [], mounts: [], etc: [] });
    expect(await rootIptables()).toEqual(iptablesBefore);
  }, 60_000);

  it('sweeps what a SIGKILLed lab up left, and the next lab works', async () => {
    const bin = new URL('../../../bin/skyprobe.mjs', import.meta.url).pathname;
    const child = execa('node', [bin, 'lab', 'up', '--keep'], { reject: false });
    // Kill it once the control plane is being started: namespaces, PKI and processes exist.
    await waitUntil('lab up under way', async () => (await leftovers()).processes.length >= 2, {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    child.kill('SIGKILL');
    await child;
    const stale = await leftovers();
    expect(stale.ns.length).toBeGreaterThan(0);
    const staleId = /^sky-([0-9a-f]{4})-/.exec(stale.ns[0] ?? '')?.[1];

    lab = await labUp({ nodes: 1, run: execRunner, progress: silentProgress });
    expect(lab.id).not.toBe(staleId);
    const now = await leftovers();
    expect(now.ns.filter((n) => n.startsWith(`sky-${staleId}-`))).toEqual([]);
    expect([...labelledProcesses().values()].filter((id) => id !== lab.id)).toEqual([]);
    const nodes = await clientsFor(lab.kubeconfig).core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-1']);
    await labDown(execRunner);
    expect(await leftovers()).toEqual({ processes: [], ns: [], links: [], mounts: [], etc: [] });
  }, 120_000);
});
