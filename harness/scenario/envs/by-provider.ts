/**
 * The one map from provider name to the factory of its scenario environment (one file per environment in this
 * folder). A new provider is its providers/ folder, one env file here, and one line in ENVS; the Record's key type
 * makes a provider without an environment a compile error.
 */
import type { Runner } from '../../exec/runner.ts';
import { EMBEDDED_CAPABILITIES } from '../../providers/embedded/embedded-provider.ts';
import type { ClusterHandle, ProviderName } from '../../providers/provider.ts';
import type { ClusterEnv, ScenarioEnv } from '../env.ts';
import { clusterEnv } from './cluster-env.ts';
import { kindEnv } from './kind-env.ts';
import { labEnv } from './lab-env.ts';

/** The cluster of a run, as its vitest workers learn it (runCluster). */
export type RunCluster = Pick<ClusterHandle, 'provider' | 'capabilities'> & Partial<ClusterHandle>;

/** Makes a provider's environment in a vitest worker: ClusterEnv, and as much of ScenarioEnv as it has. */
export type EnvFactory = (h: RunCluster, run: Runner) => ClusterEnv;

export const ENVS: Record<ProviderName, EnvFactory> = {
  // The running lab (liveLab()): its handle adds nothing the lab's own record does not have.
  embedded: (_h, run) => labEnv(run),
  // kind's env lacks only the lab's data (env.lab, env.internet), which no scenario that runs on kind reads.
  kind: (h, run) => kindEnv(h as ClusterHandle, run),
  existing: (h, run) => clusterEnv(h as ClusterHandle, run),
};

/**
 * The cluster the run picked: `skyprobe run` tells its vitest workers through SKYPROBE_CLUSTER (a ClusterHandle as
 * JSON); without it, the embedded lab (tests and `skyprobe run` alike).
 */
export function runCluster(env: NodeJS.ProcessEnv = process.env): RunCluster {
  return env.SKYPROBE_CLUSTER
    ? (JSON.parse(env.SKYPROBE_CLUSTER) as ClusterHandle)
    : { provider: 'embedded', capabilities: EMBEDDED_CAPABILITIES };
}

/**
 * The environment of the run's cluster. Typed as the whole ScenarioEnv: a provider lacks some members, but a
 * scenario that needs them is skipped before it runs (register.ts unmetNeeds), so it never reaches one.
 */
export function envFor(h: RunCluster, run: Runner): ScenarioEnv {
  return ENVS[h.provider](h, run) as ScenarioEnv;
}
