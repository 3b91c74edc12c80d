/**
 * The `test` register.ts registers scenarios with: vitest's test extended with `env` (worker-scoped), the run's
 * cluster's environment as envs/by-provider.ts makes it: on the embedded lab, everything (ScenarioEnv: the lab, the
 * Kubernetes client, the probes, apps, DNS and fault hooks); on kind, all but the lab's own hooks (deploy, and a
 * user on the internet played from this machine); elsewhere, only ClusterEnv's part of it. A scenario that needs
 * more than its provider gives is skipped before it runs (register.ts), so it never reaches a member that is not
 * there.
 */
import { test as base } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { envFor, runCluster } from './envs/by-provider.ts';

export const test = base.extend('env', { scope: 'worker' }, async () => envFor(runCluster(), execRunner));
