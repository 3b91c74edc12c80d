/**
 * One pod, run the way a kubelet would: network, volumes (pod-volumes.ts) and one mount namespace per container
 * (mount-ns.ts), one process per container (from the image table), readiness probes, restarts per restartPolicy,
 * status reported to the apiserver, Warning events when it cannot run, and a graceful end on deletion.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Runner } from '../exec/runner.ts';
import type { Clients } from '../k8s/client.ts';
import { CLUSTER } from '../providers/embedded/address-plan.ts';
import { type ImageProgram, containerArgv, programFor } from './images.ts';
import { type MountNs, createMountNs, deleteMountNs, mountNsFor, nsenterArgv, programMounts } from './mount-ns.ts';
import { PodVolumes, RESYNC_MS } from './pod-volumes.ts';
import { type PodNet, createPodNet, deletePodNet } from './pod-network.ts';
import { runProbe } from './probes.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { unsupportedVolumes } from './volume-payload.ts';

export interface WorkerContext {
  labId: string;
  labDir: string;
  logDir: string;
  repo: string;
  run: Runner;
  k: Clients;
  bin: (name: string) => string;
  log: (line: string) => void;
}

interface ContainerRun {
  spec: V1Container;
  mountNs?: MountNs;
  /** argv paths that a volume would hide, and where the container sees them instead. */
  programPaths?: Map<string, string>;
  program?: ImageProgram;
  proc?: ChildProcess;
  pid?: number;
  startedAt?: string;
  running: boolean;
  ready: boolean;
  restartCount: number;
  lastExit?: { exitCode: number; reason: string; finishedAt: string; startedAt?: string };
  waitingReason?: string;
  waitingMessage?: string;
  successes: number;
  failures: number;
  probeTimer?: NodeJS.Timeout;
  restartTimer?: NodeJS.Timeout;
}

const now = () => new Date().toISOString();

export class PodWorker {
  readonly uid: string;
  private pod: V1Pod;
  private readonly containers: ContainerRun[];
  private stopping = false;
  private statusTimer?: NodeJS.Timeout;
  private resyncTimer?: NodeJS.Timeout;
  private volumes?: PodVolumes;
  private failure?: { reason: string; message: string };
  private lastMountError?: string;
  private readonly startedAt = now();

  constructor(
    private readonly ctx: WorkerContext,
    pod: V1Pod,
    readonly net: PodNet,
    private readonly hostIp: string,
  ) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    this.containers = (pod.spec?.containers ?? []).map((spec) => ({
      spec,
      program: programFor(spec.image ?? ''),
      running: false,
      ready: false,
      restartCount: 0,
      successes: 0,
      failures: 0,
    }));
  }

  get key(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`;
  }

  async start(): Promise<void> {
    await createPodNet(this.ctx.run, this.net, this.pod.metadata?.namespace ?? 'default');
    const unsupported = unsupportedVolumes(this.pod);
    if (unsupported) return this.fail('FailedMount', `volumes ${unsupported}`);
    this.volumes = new PodVolumes(this.pod, this.ctx.labDir, this.ctx.k, this.ctx.run, this.ctx.labId);
    await this.volumes.emptyDirs();
    await this.mountAndStart();
  }

  /** Write the volumes, then each container's mounts, then start the containers; retried while a source is missing. */
  private async mountAndStart(): Promise<void> {
    if (this.stopping || !this.volumes) return;
    try {
      await this.volumes.sync();
    } catch (err) {
      const message = `MountVolume.SetUp failed: ${(err as Error).message.split('\n')[0]}`;
      if (message !== this.lastMountError) void this.event('Warning', 'FailedMount', message);
      this.lastMountError = message;
      for (const c of this.containers) {
        c.waitingReason = 'ContainerCreating';
        c.waitingMessage = message;
      }
      this.scheduleStatus();
      this.resyncTimer = setTimeout(() => void this.mountAndStart(), RESYNC_MS);
      return;
    }
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const c of this.containers) {
      if (!c.program) continue;
      const ns = mountNsFor(this.ctx.labDir, this.ctx.labId, this.uid, c.spec.name);
      try {
        const mounts = this.volumes.mountsFor(c.spec);
        let argv: string[] = [];
        try {
          argv = containerArgv(c.program, c.spec, this.ctx.bin, this.ctx.repo);
        } catch {
          // startContainer reports it
        }
        const moved = programMounts(argv, mounts);
        c.programPaths = new Map(argv.map((a, i) => [a, moved.argv[i] as string]));
        await createMountNs(this.ctx.run, ns, [...mounts, ...moved.extra], mountinfo);
        c.mountNs = ns;
      } catch (err) {
        return this.fail('Failed', `container ${c.spec.name}: ${(err as Error).message}`);
      }
    }
    if (this.stopping) {
      // Deleted while mounting: terminate() may have run before these namespaces existed.
      for (const c of this.containers) if (c.mountNs) await deleteMountNs(this.ctx.run, c.mountNs);
      return;
    }
    for (const c of this.containers) this.startContainer(c);
    this.scheduleStatus();
    this.resyncTimer = setInterval(() => {
      this.volumes
        ?.sync()
        .then((changed) => changed.length > 0 && this.ctx.log(`${this.key}: volumes updated: ${changed.join(', ')}`))
        .catch((err) => this.ctx.log(`${this.key}: volume resync failed: ${(err as Error).message}`));
    }, RESYNC_MS);
  }

  /** The pod cannot run as asked: a Warning event and status that say why (the containers never start). */
  private fail(reason: string, message: string): void {
    this.failure = { reason, message };
    for (const c of this.containers) {
      c.waitingReason = 'CreateContainerConfigError';
      c.waitingMessage = message;
    }
    this.ctx.log(`${this.key}: ${reason}: ${message}`);
    void this.event('Warning', reason, message);
    this.scheduleStatus(0);
  }

  private async event(type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const m = this.pod.metadata ?? {};
    const at = new Date();
    await this.ctx.k.core
      .createNamespacedEvent({
        namespace: m.namespace ?? 'default',
        body: {
          metadata: { generateName: `${m.name}.` },
          involvedObject: { kind: 'Pod', apiVersion: 'v1', name: m.name, namespace: m.namespace, uid: m.uid },
          type,
          reason,
          message,
          source: { component: 'kubelet', host: this.pod.spec?.nodeName },
          reportingComponent: 'kubelet',
          reportingInstance: this.pod.spec?.nodeName ?? '',
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
        },
      })
      .catch((err) => this.ctx.log(`${this.key}: event ${reason} not recorded: ${(err as Error).message}`));
  }

  update(pod: V1Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp && !this.stopping) void this.terminate(true);
  }

  private env(c: V1Container): Record<string, string> {
    const m = this.pod.metadata ?? {};
    const field = (path: string): string =>
      ({
        'metadata.name': m.name,
        'metadata.namespace': m.namespace,
        'metadata.uid': m.uid,
        'spec.nodeName': this.pod.spec?.nodeName,
        'spec.serviceAccountName': this.pod.spec?.serviceAccountName,
        'status.podIP': this.net.ip,
        'status.podIPs': this.net.ip,
        'status.hostIP': this.hostIp,
        'status.hostIPs': this.hostIp,
      })[path] ?? '';
    const out: Record<string, string> = {
      // As a kubelet's container runtime: HOSTNAME is the pod's name. Anything else about the pod (its name,
      // namespace, node) a container gets only through the downward API below, as on any cluster.
      HOSTNAME: m.name ?? '',
      // The kubelet's service environment for the API server (in-cluster config reads these).
      KUBERNETES_SERVICE_HOST: CLUSTER.apiServiceIp,
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
    };
    for (const e of c.env ?? []) {
      if (e.value !== undefined) out[e.name] = e.value;
      else if (e.valueFrom?.fieldRef) out[e.name] = field(e.valueFrom.fieldRef.fieldPath);
    }
    return out;
  }

  private startContainer(c: ContainerRun): void {
    if (this.stopping) return;
    if (!c.program) {
      c.waitingReason = 'ErrImagePull';
      c.waitingMessage = `image ${c.spec.image} is not in skyprobe's image table (harness/pod-runner/images.ts)`;
      this.scheduleStatus();
      return;
    }
    let argv: string[];
    try {
      argv = containerArgv(c.program, c.spec, this.ctx.bin, this.ctx.repo).map((a) => c.programPaths?.get(a) ?? a);
    } catch (err) {
      c.waitingReason = 'CreateContainerError';
      c.waitingMessage = (err as Error).message;
      this.scheduleStatus();
      return;
    }
    const dir = join(this.ctx.logDir, 'pods');
    mkdirSync(dir, { recursive: true });
    const fd = openSync(
      join(dir, `${this.pod.metadata?.namespace}_${this.pod.metadata?.name}_${c.spec.name}.log`),
      'a',
    );
    const [file, ...prefix] = this.inContainer(c) as [string, ...string[]];
    const proc = spawn(file, [...prefix, ...argv], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        SKYPROBE_LAB: this.ctx.labId,
        SKYPROBE_POD: this.key,
        ...this.env(c.spec),
      },
    });
    closeSync(fd);
    c.proc = proc;
    c.pid = proc.pid;
    c.running = true;
    c.startedAt = now();
    c.waitingReason = undefined;
    c.successes = 0;
    c.failures = 0;
    c.ready = !c.spec.readinessProbe;
    proc.on('exit', (code, signal) => this.onExit(c, proc, code, signal));
    proc.on('error', (err) => {
      c.waitingReason = 'RunContainerError';
      c.waitingMessage = err.message;
    });
    if (c.spec.readinessProbe) this.scheduleProbe(c, (c.spec.readinessProbe.initialDelaySeconds ?? 0) * 1000);
    this.ctx.log(`${this.key}/${c.spec.name}: started pid ${proc.pid}: ${argv.join(' ')}`);
    this.scheduleStatus();
  }

  private onExit(c: ContainerRun, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (c.proc !== proc) return;
    clearTimeout(c.probeTimer);
    c.running = false;
    c.ready = false;
    c.proc = undefined;
    const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
    c.lastExit = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: now(),
      startedAt: c.startedAt,
    };
    this.ctx.log(`${this.key}/${c.spec.name}: exited ${code ?? signal}`);
    this.scheduleStatus(0);
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    if (this.stopping || policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) return;
    c.waitingReason = 'CrashLoopBackOff';
    const backoff = Math.min(1000 * 2 ** c.restartCount, TIMEOUTS.podRestartBackoff);
    c.restartTimer = setTimeout(() => {
      c.restartCount++;
      this.startContainer(c);
    }, backoff);
  }

  /** argv prefix: the container's mount namespace, then the pod's network namespace. */
  private inContainer(c: ContainerRun): string[] {
    return [...(c.mountNs ? nsenterArgv(c.mountNs) : []), 'ip', 'netns', 'exec', this.net.netns];
  }

  private scheduleProbe(c: ContainerRun, delayMs: number): void {
    c.probeTimer = setTimeout(() => void this.probe(c), delayMs);
  }

  private async probe(c: ContainerRun): Promise<void> {
    const p = c.spec.readinessProbe;
    if (!p || !c.running || this.stopping) return;
    const outcome = await runProbe(p, c.spec, this.net.ip, this.inContainer(c), this.ctx.run);
    if (!c.running || this.stopping) return;
    if (outcome.ok) {
      c.successes++;
      c.failures = 0;
    } else {
      c.failures++;
      c.successes = 0;
    }
    const wasReady = c.ready;
    if (!c.ready && c.successes >= (p.successThreshold ?? 1)) c.ready = true;
    if (c.ready && c.failures >= (p.failureThreshold ?? 3)) c.ready = false;
    if (wasReady !== c.ready) {
      this.ctx.log(`${this.key}/${c.spec.name}: ${c.ready ? 'ready' : 'not ready'} (${outcome.detail})`);
      this.scheduleStatus(0);
    }
    this.scheduleProbe(c, (p.periodSeconds ?? 10) * 1000);
  }

  private scheduleStatus(delayMs = 20): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      void this.pushStatus();
    }, delayMs);
  }

  private containerStatus(c: ContainerRun): V1ContainerStatus {
    const state = c.running
      ? { running: { startedAt: c.startedAt as unknown as Date } }
      : c.waitingReason
        ? { waiting: { reason: c.waitingReason, message: c.waitingMessage } }
        : c.lastExit
          ? {
              terminated: {
                exitCode: c.lastExit.exitCode,
                reason: c.lastExit.reason,
                finishedAt: c.lastExit.finishedAt as unknown as Date,
              },
            }
          : { waiting: { reason: 'ContainerCreating' } };
    return {
      name: c.spec.name,
      image: c.spec.image ?? '',
      imageID: `skyprobe://${c.program?.name ?? 'unknown'}`,
      containerID: c.pid ? `skyprobe://${c.pid}` : undefined,
      ready: c.ready,
      started: c.running,
      restartCount: c.restartCount,
      state,
      lastState:
        c.lastExit && c.running
          ? {
              terminated: {
                exitCode: c.lastExit.exitCode,
                reason: c.lastExit.reason,
                finishedAt: c.lastExit.finishedAt as unknown as Date,
              },
            }
          : undefined,
    };
  }

  private async pushStatus(): Promise<void> {
    if (!this.pod.metadata?.name) return;
    const all = this.containers;
    const ready = all.length > 0 && all.every((c) => c.ready);
    const restarting = all.some((c) => c.restartTimer && !c.running);
    const finished = all.every((c) => !c.running && c.lastExit && !c.waitingReason);
    const phase = this.failure
      ? 'Failed'
      : finished
        ? all.every((c) => c.lastExit?.exitCode === 0)
          ? 'Succeeded'
          : 'Failed'
        : all.some((c) => c.running) || restarting
          ? 'Running'
          : 'Pending';
    const cond = (type: string, ok: boolean, reason?: string): V1PodCondition => ({
      type,
      status: ok ? 'True' : 'False',
      reason: ok ? undefined : reason,
      lastTransitionTime: now() as unknown as Date,
    });
    const status = {
      phase,
      reason: this.failure?.reason,
      message: this.failure?.message,
      hostIP: this.hostIp,
      hostIPs: [{ ip: this.hostIp }],
      podIP: this.net.ip,
      podIPs: [{ ip: this.net.ip }],
      startTime: this.startedAt,
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('ContainersReady', ready, 'ContainersNotReady'),
        cond('Ready', ready, 'ContainersNotReady'),
        cond('PodScheduled', true),
      ],
      containerStatuses: all.map((c) => this.containerStatus(c)),
    };
    // Keep lastTransitionTime when a condition did not change, as the kubelet does.
    for (const c of status.conditions) {
      const old = this.pod.status?.conditions?.find((o) => o.type === c.type);
      if (old && old.status === c.status && old.lastTransitionTime) c.lastTransitionTime = old.lastTransitionTime;
    }
    try {
      this.pod = await this.ctx.k.core.patchNamespacedPodStatus(
        { name: this.pod.metadata.name, namespace: this.pod.metadata.namespace ?? 'default', body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404) this.ctx.log(`${this.key}: status update failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  /** Stop the containers (SIGTERM, then SIGKILL after the grace period), remove the network, delete the pod. */
  async terminate(deletePod: boolean): Promise<void> {
    this.stopping = true;
    clearTimeout(this.statusTimer);
    clearTimeout(this.resyncTimer);
    clearInterval(this.resyncTimer);
    const grace = Math.min((this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, TIMEOUTS.podStopGrace);
    for (const c of this.containers) {
      clearTimeout(c.probeTimer);
      clearTimeout(c.restartTimer);
    }
    const live = this.containers.filter((c) => c.proc && c.running);
    const exited = live.map(
      (c) => new Promise<void>((r) => (c.proc?.exitCode !== null ? r() : c.proc?.once('exit', () => r()))),
    );
    for (const c of live) if (c.pid) killGroup(c.pid, 'SIGTERM');
    const timer = setTimeout(() => live.forEach((c) => c.pid && killGroup(c.pid, 'SIGKILL')), grace);
    await Promise.all(exited);
    clearTimeout(timer);
    for (const c of this.containers) if (c.mountNs) await deleteMountNs(this.ctx.run, c.mountNs);
    await this.volumes?.remove();
    await deletePodNet(this.ctx.run, this.net);
    if (deletePod && this.pod.metadata?.name) {
      await this.ctx.k.core
        .deleteNamespacedPod({
          name: this.pod.metadata.name,
          namespace: this.pod.metadata.namespace ?? 'default',
          gracePeriodSeconds: 0,
        })
        .catch(() => undefined);
    }
    this.ctx.log(`${this.key}: terminated`);
  }

  /** Kill every container now (the runner is stopping). */
  killAll(): void {
    this.stopping = true;
    clearTimeout(this.resyncTimer);
    clearInterval(this.resyncTimer);
    for (const c of this.containers) if (c.pid && c.running) killGroup(c.pid, 'SIGKILL');
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}
