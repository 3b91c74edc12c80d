/**
 * Fact 2, routing: which HTTPRoute or Ingress claims the host, whether the edge accepted it (conditions with
 * reasons), whether its backend Service exists and has ready endpoints. Two claimants are a conflict, and the
 * fact says which one wins by Gateway API's rule (exact hostname before wildcard, then the oldest, then by
 * namespace/name); between an Ingress and an HTTPRoute neither API defines a winner.
 */
import { type Claimant, type ParentState, claimantsOf } from './claimants.ts';
import type { ClusterView } from './cluster-view.ts';
import { type Fact, fact } from './fact.ts';

export interface RoutingEvidence {
  claimants: Claimant[];
  /** cert-manager's HTTP-01 solver routes for the host (a challenge in flight), kept apart from the claims. */
  solvers?: string[];
  /** The claimant whose backends serve the host (the winner when there is a conflict). */
  winner?: string;
  conflict?: string;
  unreadable?: Record<string, string>;
}

/** The claimant the routing fact found serving the host (the winner), with its backends. */
export function servingClaimant(e: RoutingEvidence): Claimant | undefined {
  return e.claimants.find((c) => `${c.kind} ${c.ref}` === e.winner);
}

export function winnerOf(claimants: Claimant[]): Claimant | undefined {
  return [...claimants].sort(
    (a, b) =>
      Number(b.matchedBy !== '' && !b.matchedBy.startsWith('*')) -
        Number(a.matchedBy !== '' && !a.matchedBy.startsWith('*')) ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.ref.localeCompare(b.ref),
  )[0];
}

const overlap = (a: ParentState, b: ParentState) =>
  a.gateway === b.gateway && (!a.sectionName || !b.sectionName || a.sectionName === b.sectionName);

/** Claimants attached to the same place: HTTPRoutes sharing a listener (no sectionName = every listener), or an Ingress and anything else. */
function conflicting(claimants: Claimant[]): Claimant[] {
  if (claimants.length < 2) return [];
  if (claimants.some((c) => c.kind === 'Ingress')) return claimants;
  const out = new Set<Claimant>();
  claimants.forEach((a, i) => {
    for (const b of claimants.slice(i + 1))
      if (a.parents.some((p) => b.parents.some((q) => overlap(p, q)))) out.add(a).add(b);
  });
  return [...out];
}

function attachmentProblem(
  c: Claimant,
): { status: 'fail' | 'pending'; summary: string; remediation: string } | undefined {
  if (c.kind === 'Ingress') {
    if (!c.ingress?.classExists)
      return {
        status: 'fail',
        summary: `Ingress ${c.ref}: IngressClass "${c.ingress?.className ?? '(default)'}" does not exist, so no controller serves it`,
        remediation: "set spec.ingressClassName to the edge's class (kubectl get ingressclass)",
      };
    if ((c.ingress.addresses ?? []).length === 0)
      return {
        status: 'pending',
        summary: `Ingress ${c.ref}: the controller has not published an address yet`,
        remediation: "wait a few seconds; if it stays empty, check the edge controller's log",
      };
    return undefined;
  }
  const refused = c.parents.flatMap((p) =>
    p.conditions
      .filter((x) => (x.type === 'Accepted' || x.type === 'ResolvedRefs') && x.status !== 'True')
      .map((x) => ({ p, x })),
  );
  if (refused.length > 0) {
    const { p, x } = refused[0] as (typeof refused)[number];
    return {
      status: 'fail',
      summary: `HTTPRoute ${c.ref} on ${p.gateway}${p.sectionName ? `/${p.sectionName}` : ''}: ${x.type} ${x.status} (${x.reason ?? 'no reason'}${x.message ? `: ${x.message}` : ''})`,
      remediation:
        x.type === 'Accepted'
          ? "fix the parentRef (Gateway, namespace, sectionName) or the listener's allowedRoutes"
          : 'fix the backendRefs: each must name an existing Service and port',
    };
  }
  const missing = c.parents.find((p) => !p.exists);
  if (missing)
    return {
      status: 'fail',
      summary: `HTTPRoute ${c.ref}: parentRef ${missing.gateway}${missing.sectionName ? ` section ${missing.sectionName}` : ''} does not exist`,
      remediation: 'point parentRefs at the edge Gateway and one of its listeners (kubectl get gateway -A -o yaml)',
    };
  if (c.parents.length === 0)
    return {
      status: 'fail',
      summary: `HTTPRoute ${c.ref} has no parentRefs: no Gateway serves it`,
      remediation: 'add a parentRef to the edge Gateway',
    };
  if (c.parents.every((p) => p.conditions.length === 0))
    return {
      status: 'pending',
      summary: `HTTPRoute ${c.ref}: the edge has not reported on it yet`,
      remediation: "wait a few seconds; if no status appears, check the edge controller's log",
    };
  return undefined;
}

export function routingFact(view: ClusterView, host: string): Fact<RoutingEvidence> {
  const all = claimantsOf(view, host);
  const claimants = all.filter((c) => !c.solver);
  const evidence: RoutingEvidence = { claimants };
  const solvers = all.filter((c) => c.solver).map((c) => `${c.kind} ${c.ref}`);
  if (solvers.length > 0) evidence.solvers = solvers;
  const unreadable = Object.fromEntries(
    Object.entries(view.errors).filter(([k]) =>
      ['HTTPRoute', 'Ingress', 'Gateway', 'Service', 'EndpointSlice'].includes(k),
    ),
  );
  if (Object.keys(unreadable).length > 0) {
    evidence.unreadable = unreadable as Record<string, string>;
    return fact(
      'unknown',
      `could not read ${Object.keys(unreadable).join(', ')}: ${Object.values(unreadable)[0]}`,
      evidence,
      "grant get/list on routes, Ingresses, Gateways, Services and EndpointSlices to this kubeconfig's user",
    );
  }
  if (claimants.length === 0)
    return fact(
      'fail',
      `no HTTPRoute or Ingress claims ${host}${solvers.length > 0 ? ` (only cert-manager's HTTP-01 solver: ${solvers.join(', ')})` : ''}`,
      evidence,
      `create the route for ${host} (redeploy the app, or add the domain to it)`,
    );
  const rivals = conflicting(claimants);
  // The claimant that serves the host: the winner among rivals; otherwise the one with backends (an app with an
  // HTTP->HTTPS redirect has a second, redirect-only route on the HTTP listener).
  const serving = claimants.filter((c) => c.backends.length > 0);
  const winner = winnerOf(rivals.length > 1 ? rivals : serving.length > 0 ? serving : claimants) as Claimant;
  evidence.winner = `${winner.kind} ${winner.ref}`;
  if (rivals.length > 1) {
    const mixed = new Set(rivals.map((c) => c.kind)).size > 1;
    evidence.conflict = `${rivals.map((c) => `${c.kind} ${c.ref}`).join(' and ')} claim ${host}; ${mixed ? 'an Ingress and an HTTPRoute: neither API defines which one the edge serves' : `${evidence.winner} wins (exact before wildcard, then the oldest)`}`;
    return fact(
      'fail',
      `conflict: ${evidence.conflict}`,
      evidence,
      `delete the claim that does not belong to the host's deployment (${
        rivals
          .filter((c) => c !== winner)
          .map((c) => `${c.kind} ${c.ref}`)
          .join(', ') || 'one of them'
      })`,
    );
  }
  for (const c of claimants) {
    const problem = attachmentProblem(c);
    if (problem) return fact(problem.status, problem.summary, evidence, problem.remediation);
  }
  if (winner.redirect)
    return fact('pass', `${winner.kind} ${winner.ref} redirects ${host} to ${winner.redirect}`, evidence);
  const absent = winner.backends.find((b) => !b.exists);
  if (absent)
    return fact(
      'fail',
      `${winner.kind} ${winner.ref}: backend Service ${absent.service} does not exist`,
      evidence,
      `create Service ${absent.service} or point the route at the app's Service`,
    );
  if (winner.backends.length === 0)
    return fact(
      'fail',
      `${winner.kind} ${winner.ref} has no backend for ${host}`,
      evidence,
      'add a backendRef (HTTPRoute) or a backend service (Ingress) for the host',
    );
  const empty = winner.backends.find((b) => b.readyEndpoints === 0);
  if (empty)
    return fact(
      'fail',
      `${winner.kind} ${winner.ref}: Service ${empty.service} has no ready endpoints (${empty.notReadyEndpoints} not ready)`,
      evidence,
      `make the pods behind ${empty.service} pass their readiness probe, or fix the Service's selector`,
    );
  const ready = winner.backends.reduce((n, b) => n + b.readyEndpoints, 0);
  return fact(
    'pass',
    `${winner.kind} ${winner.ref} accepted; ${winner.backends.map((b) => b.service).join(', ')}: ${ready} ready endpoint(s)`,
    evidence,
  );
}
