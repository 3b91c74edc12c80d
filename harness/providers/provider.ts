/**
 * ClusterProvider: where the scenarios run. One interface, one folder per backend:
 *   embedded/  the default: real upstream programs as processes in network namespaces (no Docker)
 *   kind/      kind clusters on Docker, the stack installed from pinned manifests (needs docker and kind)
 *   existing/  a cluster that already runs the stack, reached by a kubeconfig; read-only outside its own namespace
 * Detection (`info`) is separate from construction (`up`), and has no side effects.
 */
import type { Runner } from '../exec/runner.ts';
import type { Progress } from '../log.ts';
import type { Issuance } from '../stack/issuance.ts';

export type ProviderName = 'embedded' | 'kind' | 'existing';
export const PROVIDERS: ProviderName[] = ['embedded', 'kind', 'existing'];

/** What a backend can do here and now; `reason` says why not (one line, with the fix). */
export interface ProviderInfo {
  name: ProviderName;
  available: boolean;
  reason?: string;
  /** The fix, when the reason alone does not say it. */
  hint?: string;
}

/** What a backend may do to a cluster: scenarios that need more are skipped, with the reason in the report. */
export interface Capabilities {
  /** Create and delete cluster-scoped objects (namespaces, CRDs, ClusterRoles). */
  clusterScoped: boolean;
  /** Deploy apps (in the run's own namespace at least). */
  createApps: boolean;
  /**
   * Stop, block or misconfigure stack components: the fault twins run only where this is true, and are skipped
   * with the reason elsewhere (define.ts faultsUnmet).
   */
  faults: boolean;
  /**
   * The management path exists (the SideroLink stand-in: overlay, the machine's Talos API, the hosts at either
   * end). Scenarios that use it (`needs: ['management']`, env.mgmt) are skipped elsewhere, with the reason.
   */
  management: boolean;
  /**
   * A user on the internet can be played: public DNS the harness writes the user's zones into (each edit served
   * before it returns), and HTTP, TLS and DNS probes that resolve through that public DNS and trust Pebble's root.
   * The embedded lab plays it from its internet namespace, kind from this machine; scenarios that probe hosts
   * (`needs: ['internet']`) are skipped elsewhere.
   */
  internet?: boolean;
  /**
   * The embedded lab's own hooks: exec in a pod's namespace, the edge's access log, its components' processes
   * (stop, restart, block a port), self-signed Secrets and rewritten platform records for faults. Scenarios that use them (`needs: ['lab']`, the default) are skipped elsewhere, with the reason.
   */
  labHooks?: boolean;
}

export interface ClusterHandle {
  provider: ProviderName;
  /** The run (or lab) this cluster belongs to: the label that owns everything created for it. */
  id: string;
  kubeconfig: string;
  capabilities: Capabilities;
  /** The one namespace the run may create objects in when it may not create namespaces (existing provider). */
  namespace?: string;
  /** Whether up() created the cluster (then down() removes it) or attached to one that was there. */
  created: boolean;
  /**
   * Where a user on the internet stands, to run a program there (an upstream suite that sends requests to the
   * Gateway's address): a network namespace (the embedded lab's internet host); absent: this machine.
   */
  internetNetns?: string;
  /** How the domain facts reach this cluster from here (domains check's flags); absent: the system's resolver and CAs. */
  probes?: { resolver?: string; edge?: string[]; ca?: string; metadata?: string };
  /** What the report's environment should say about this cluster beyond the component versions (kind: node image, engine, manifests). */
  environment?: Record<string, string>;
}

export interface ProviderUpOptions {
  run: Runner;
  progress: Progress;
  /** Leave the cluster running afterwards (down() becomes a no-op for what up() created). */
  keep?: boolean;
  /**
   * The issuance profile for a stack this provider installs (default: stack/issuance.ts DEFAULT_ISSUANCE); a cluster it attaches to
   * keeps its own, which the run reads back from the ClusterIssuers.
   */
  issuance?: Issuance;
}

export interface ClusterProvider {
  readonly name: ProviderName;
  /** Cheap, side-effect-free check: binaries present, daemon reachable, kubeconfig readable. */
  info(): Promise<ProviderInfo>;
  /** Create (or attach to) a cluster with the routing stack; removes what it made if a step fails. */
  up(o: ProviderUpOptions): Promise<ClusterHandle>;
  /** Remove everything this run created (by label); idempotent. */
  down(h: ClusterHandle, o: ProviderUpOptions): Promise<void>;
}
