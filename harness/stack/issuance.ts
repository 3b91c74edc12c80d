/**
 * The issuance profile: how fast an HTTP-01 certificate may go from created to served.
 *   faithful  the platform's production settings: cert-manager's self-check (5 passes 2 s apart,
 *             pkg/issuer/acme/http/http.go `requiredPasses`) must see the key through the edge before Pebble is
 *             asked, and Traefik applies at most one configuration per provider every 2 s (its default)
 *   fast      no self-check: the ClusterIssuers' solvers set `waitInsteadOfSelfCheck` (cert-manager v1.21), so
 *             Pebble is asked to validate that long after the challenge was presented; and Traefik's throttle is
 *             200 ms. Pebble still validates over HTTP-01 through the load balancer and the edge; it does not
 *             retry a failed validation, so the wait covers the solver pod's start and the edge's route, as
 *             measured (docs/architecture.md); a failed order is retried after cert-manager's backoff
 * The solver part lives in the ClusterIssuers, so the profile is read back from them (`issuanceOf`).
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export type Issuance = 'fast' | 'faithful';
export const ISSUANCES: Issuance[] = ['fast', 'faithful'];
/**
 * The profile a provider installs unless told: faithful everywhere. fast is not the default because two TLS fault
 * twins stop proving their fault in it (measured, docs/architecture.md "Issuance profiles"): TLS-04's
 * entry-point-wide redirect no longer stops a new certificate, and TLS-01's untrusted chain fails at another check.
 * On kind, moreover, the solver pod's start includes an image pull that no fixed wait is known to cover, and a
 * failed validation waits out cert-manager's default 1 h backoff.
 */
export const DEFAULT_ISSUANCE = { embedded: 'faithful', kind: 'faithful' } as const satisfies Record<string, Issuance>;

/** How long the fast profile waits after presentation before Pebble validates (see the header). */
export const FAST_WAIT = '2s';

/** How long the edge (Traefik) waits after applying a configuration before it takes the next, in fast. */
export const FAST_EDGE_THROTTLE = '200ms';

/**
 * Traefik's flags of a profile. Traefik applies at most one configuration per provider every 2 s by default
 * (`providers.providersThrottleDuration`): the solver's endpoints and the issued Secret each wait for that window.
 */
export function edgeTiming(issuance: Issuance): string[] {
  return issuance === 'fast' ? [`--providers.providersThrottleDuration=${FAST_EDGE_THROTTLE}`] : [];
}

/** The solver fields of a profile, merged into each ClusterIssuer's HTTP-01 solver. */
export function solverTiming(issuance: Issuance): { waitInsteadOfSelfCheck?: string } {
  return issuance === 'fast' ? { waitInsteadOfSelfCheck: FAST_WAIT } : {};
}

type Solver = { waitInsteadOfSelfCheck?: string };
type IssuerLike = KubernetesObject & { spec?: { acme?: { solvers?: Solver[] } } };

/**
 * The profile the given ClusterIssuers run: `fast` when every solver of every issuer waits instead of
 * self-checking, `faithful` when none does, `mixed` otherwise, `none` without ACME solvers.
 */
export function issuanceOf(issuers: IssuerLike[]): Issuance | 'mixed' | 'none' {
  const solvers = issuers.flatMap((i) => i.spec?.acme?.solvers ?? []);
  if (solvers.length === 0) return 'none';
  const waiting = solvers.filter((s) => s.waitInsteadOfSelfCheck !== undefined).length;
  return waiting === solvers.length ? 'fast' : waiting === 0 ? 'faithful' : 'mixed';
}

/** The one line a profile stands for, for the report and `--help`. */
export function issuanceSummary(issuance: Issuance | 'mixed' | 'none'): string {
  switch (issuance) {
    case 'fast':
      return `fast: no cert-manager self-check, Pebble validates HTTP-01 ${FAST_WAIT} after the challenge is presented; Traefik throttle ${FAST_EDGE_THROTTLE}`;
    case 'faithful':
      return "faithful: the platform's settings: cert-manager's HTTP-01 self-check passes before Pebble validates; Traefik throttle 2 s";
    case 'mixed':
      return 'mixed: some ClusterIssuer solvers self-check, others do not';
    case 'none':
      return 'none: no ACME ClusterIssuer solvers found';
  }
}

/**
 * The profile the cluster behind `objects` runs, read from its ClusterIssuers; `unknown` (with the reason) when
 * they cannot be listed (an existing cluster may not let the run read them).
 */
export async function readIssuance(objects: {
  list(apiVersion: string, kind: string): Promise<unknown>;
}): Promise<{ profile: Issuance | 'mixed' | 'none' | 'unknown'; summary: string }> {
  try {
    const list = (await objects.list('cert-manager.io/v1', 'ClusterIssuer')) as { items: IssuerLike[] };
    const profile = issuanceOf(list.items);
    return { profile, summary: issuanceSummary(profile) };
  } catch (err) {
    return { profile: 'unknown', summary: `unknown: the ClusterIssuers could not be read (${(err as Error).message})` };
  }
}
