/**
 * The only `test` suites use: vitest's test extended with the fixtures that give access to the world.
 * `env` (worker-scoped), by provider: on the embedded lab, everything (ScenarioEnv: the lab, the Kubernetes client,
 * the probes, apps, DNS and fault hooks); on kind, all but the lab's own hooks (kind-env.ts: deploy, and a user on
 * the internet played from this machine); elsewhere, only ClusterEnv's part of it. A scenario that needs more than
 * its provider gives is skipped before it runs (register.ts), so it never reaches a member that is not there.
 */
import { test as base } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { kindScenarioEnv } from './envs/kind-env.ts';
import type { ClusterHandle } from '../providers/provider.ts';
import { clusterEnv, runCluster } from './envs/cluster-env.ts';
import { type ScenarioEnv, scenarioEnv } from './env.ts';

export const test = base.extend('env', { scope: 'worker' }, async () => {
  const h = runCluster();
  if (h.provider === 'embedded') return scenarioEnv();
  // kind's env lacks only the lab's data (env.lab, env.internet), which no scenario that runs on kind reads.
  if (h.provider === 'kind') return kindScenarioEnv(h as ClusterHandle, execRunner) as ScenarioEnv;
  return clusterEnv(h as ClusterHandle, execRunner) as ScenarioEnv;
});
