/**
 * The only `test` suites use: vitest's test extended with the fixtures that give access to the world.
 * `env` (worker-scoped): the running lab, the Kubernetes client, the probes, apps, DNS and fault hooks.
 */
import { test as base } from 'vitest';
import { scenarioEnv } from './scenario/env.ts';

export const test = base.extend('env', { scope: 'worker' }, async () => scenarioEnv());
