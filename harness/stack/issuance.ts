/**
 * The issuance profile: how cert-manager decides that an HTTP-01 challenge may be handed to the ACME server.
 *   faithful  the platform's production settings: cert-manager's self-check (5 passes 2 s apart,
 *             pkg/issuer/acme/http/http.go `requiredPasses`) must see the key through the edge first
 *   fast      no self-check: the ClusterIssuers' solvers set `waitInsteadOfSelfCheck` (cert-manager v1.21), and
 *             the ACME server is asked to validate that long after the challenge was presented. Pebble still
 *             validates over HTTP-01 through the load balancer and the edge; it does not retry a failed validation,
 *             so the wait must cover the solver pod's start and the edge's route (measured, docs/architecture.md)
 * The profile lives in the ClusterIssuers alone, so it is read back from them (`issuanceOf`), never assumed.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export type Issuance = 'fast' | 'faithful';
export const ISSUANCES: Issuance[] = ['fast', 'faithful'];
export const DEFAULT_ISSUANCE: Issuance = 'fast';

/** How long the fast profile waits after presentation before Pebble validates (see the header). */
export const FAST_WAIT = '3s';

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
      return `fast: no cert-manager self-check; Pebble validates HTTP-01 ${FAST_WAIT} after the challenge is presented`;
    case 'faithful':
      return "faithful: the platform's settings; cert-manager's HTTP-01 self-check passes before Pebble validates";
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
