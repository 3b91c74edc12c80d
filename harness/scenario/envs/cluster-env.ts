/**
 * What every provider gives a scenario: the cluster (read, and write in the run's namespace where allowed), the
 * four domain facts, the routing objects a failed scenario attaches, and what the provider can do. The embedded
 * lab gives much more (ScenarioEnv, env.ts), kind the deploy and internet parts of it (kind-env.ts); a scenario
 * that uses more than this says so in `needs` (define.ts; default ['lab']), and is skipped where it is not met.
 * The run tells its vitest workers which cluster to use through SKYPROBE_CLUSTER (a ClusterHandle as JSON).
 */
import type { Runner } from '../../exec/runner.ts';
import { type FactTarget, checkDomains } from '../../facts/check.ts';
import type { DomainsReport } from '../../facts/fact.ts';
import { factTarget } from '../../facts/target.ts';
import { type Clients, clientsFor } from '../../k8s/client.ts';
import { EMBEDDED_CAPABILITIES } from '../../providers/embedded/embedded-provider.ts';
import { labFactSite } from '../../providers/embedded/fact-site.ts';
import type { Capabilities, ClusterHandle, ProviderName } from '../../providers/provider.ts';

export interface ClusterEnv {
  provider: ProviderName;
  capabilities: Capabilities;
  k: Clients;
  run: Runner;
  /** The run's own namespace, where `apps` scenarios create objects (existing provider). */
  namespace?: string;
  /** The four domain facts for hosts, as `skyprobe domains check` establishes them against this cluster. */
  facts(hosts: string[]): Promise<DomainsReport>;
  /** What a failed scenario attaches (runScenario): the routing objects with their status, and more where there is. */
  diagnostics(): Promise<Record<string, unknown>>;
}

/** The routing objects of every namespace with their status (name and status only), for diagnostics. */
export async function routingObjects(k: Clients): Promise<Record<string, unknown[]>> {
  const objects: Record<string, unknown[]> = {};
  for (const [apiVersion, kind] of [
    ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['cert-manager.io/v1', 'Certificate'],
    ['acme.cert-manager.io/v1', 'Challenge'],
  ] as const) {
    const list = (await k.objects.list(apiVersion, kind).catch(() => ({ items: [] }))) as {
      items: { metadata?: { name?: string; namespace?: string }; status?: Record<string, unknown> }[];
    };
    objects[kind] = list.items.map((o) => ({ name: `${o.metadata?.namespace}/${o.metadata?.name}`, status: o.status }));
  }
  return objects;
}

/** The cluster the run picked; without SKYPROBE_CLUSTER, the embedded lab (tests and `skyprobe run` alike). */
export function runCluster(
  env: NodeJS.ProcessEnv = process.env,
): Pick<ClusterHandle, 'provider' | 'capabilities'> & Partial<ClusterHandle> {
  return env.SKYPROBE_CLUSTER
    ? (JSON.parse(env.SKYPROBE_CLUSTER) as ClusterHandle)
    : { provider: 'embedded', capabilities: EMBEDDED_CAPABILITIES };
}

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
