/**
 * Start a ContainerSpec with testcontainers. Cleanup after a killed run is testcontainers' reaper (Ryuk): it
 * removes every container of this process's session when the process dies, SIGKILL included. A kept run
 * (--keep) opts its containers out of the reaper, and teardown removes them by RUN_LABEL later.
 */
import { TIMEOUTS } from '../../timeouts.ts';
import type { ContainerSpec } from './containers.ts';

export interface StartedContainer {
  name: string;
  /** Address on kind's network: how the cluster and the other container reach it. */
  ip: string;
  /** Where the harness reaches a published port: `https://${host}:${port(15000)}`. */
  host: string;
  port(containerPort: number): number;
}

export type StartContainer = (spec: ContainerSpec, o: { keep: boolean }) => Promise<StartedContainer>;

export const startWithTestcontainers: StartContainer = async (spec, o) => {
  // Imported when first used: testcontainers reads RYUK_CONTAINER_IMAGE when it is loaded, and the kind provider
  // sets it (local-mode.ts) only once it knows which engine and images this machine has.
  const { GenericContainer, Wait } = await import('testcontainers');
  let c = new GenericContainer(spec.image)
    .withName(spec.name)
    .withCommand(spec.command)
    .withEnvironment(spec.env)
    .withExposedPorts(...spec.ports)
    .withNetworkMode(spec.network)
    .withLabels(spec.labels)
    // Both images are a single static binary without a shell, so readiness is read from the log.
    .withWaitStrategy(Wait.forLogMessage(spec.readyLog))
    .withStartupTimeout(TIMEOUTS.containerStart)
    .withAutoCleanup(!o.keep);
  if (spec.files.length > 0)
    c = c.withCopyContentToContainer(spec.files.map((f) => ({ content: f.content, target: f.target, mode: f.mode })));
  if (spec.binds.length > 0) c = c.withBindMounts(spec.binds);
  // testcontainers stops and removes a container whose wait failed before it rethrows: nothing half-started leaks.
  const started = await c.start();
  return {
    name: spec.name,
    ip: started.getIpAddress(spec.network),
    host: started.getHost(),
    port: (p) => started.getMappedPort(p),
  };
};
