/**
 * The only `test` suites use: vitest's test extended with the fixtures that give access to the world.
 * `env` (worker-scoped): on the embedded lab, everything (ScenarioEnv: the lab, the Kubernetes client, the probes,
 * apps, DNS and fault hooks); on another provider, only ClusterEnv's part of it: a scenario that needs more is
 * skipped before it runs (register.ts), so it never reaches a member that is not there.
 */
import { test as base } from 'vitest';
import { execRunner } from './exec/runner.ts';
import type { ClusterHandle } from './providers/provider.ts';
import { clusterEnv, runCluster } from './scenario/cluster-env.ts';
import { type ScenarioEnv, scenarioEnv } from './scenario/env.ts';

export const test = base.extend('env', { scope: 'worker' }, async () => {
  const h = runCluster();
  return h.provider === 'embedded' ? scenarioEnv() : (clusterEnv(h as ClusterHandle, execRunner) as ScenarioEnv);
});
