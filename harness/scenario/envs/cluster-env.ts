/**
 * The existing provider's environment, and the base of kind's: ClusterEnv only (env.ts), what every provider gives
 * a scenario: the cluster (read, and write in the run's namespace where allowed), the four domain facts, the
 * routing objects a failed scenario attaches, and what the provider can do. The embedded lab gives much more
 * (lab-env.ts), kind the deploy and internet parts of it (kind-env.ts); a scenario that uses more than this says
 * so in `needs` (define.ts; default ['lab']), and is skipped where it is not met.
 */
import type { Runner } from '../../exec/runner.ts';
import { type FactTarget, checkDomains } from '../../facts/check.ts';
import { factTarget } from '../../facts/target.ts';
import { clientsFor } from '../../k8s/client.ts';
import { labFactSite } from '../../providers/embedded/fact-site.ts';
import type { ClusterHandle } from '../../providers/provider.ts';
import type { ClusterEnv } from '../env.ts';
import { routingObjects } from './env-parts.ts';

/**
 * A ClusterEnv for a cluster reached by kubeconfig only (existing, kind). Facts are probed from this machine, as
 * `domains check --kubeconfig` probes them: when that kubeconfig names the running lab's API server, from the lab.
 */
export function clusterEnv(h: ClusterHandle, run: Runner): ClusterEnv {
  const k = clientsFor(h.kubeconfig);
  // The inputs are checked once per worker (kubeconfig, API reachable, resolver answering), not at every poll.
  let target: Promise<FactTarget> | undefined;
  const factsTarget = () =>
    (target ??= factTarget({ kubeconfig: h.kubeconfig, ...h.probes }, run, labFactSite()).catch((err: unknown) => {
      target = undefined;
      throw err;
    }));
  return {
    provider: h.provider,
    capabilities: h.capabilities,
    k,
    run,
    namespace: h.namespace,
    facts: async (hosts) => checkDomains(await factsTarget(), hosts),
    diagnostics: async () => ({ objects: await routingObjects(k) }),
  };
}
