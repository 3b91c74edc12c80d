/**
 * The objects' verdict against what the edge does. A routing fact read from the objects (route Accepted, Service
 * with ready endpoints) must not pass when the edge itself answers for the host instead of the route's backend:
 * then the objects are what is wrong, and the routing fact says so, naming the object and field to look at. And
 * an endpoint that fails only because a fact is still pending (a certificate being issued, an address not yet
 * published, the edge still programming the endpoints the objects show ready) is pending too, so that `pending`
 * keeps its exit code 3.
 */
import type { Claimant } from './claimants.ts';
import type { EndpointAnswer, EndpointEvidence } from './endpoint.ts';
import { type Fact, type FactName, fact } from './fact.ts';
import { type RoutingEvidence, servingClaimant } from './routing.ts';

export interface RoutingCrossCheck {
  /** The endpoint's answer that contradicts the objects. */
  answer: Pick<EndpointAnswer, 'scheme' | 'status' | 'why' | 'bodyExcerpt'>;
  objectsSaid: string;
}

/**
 * The edge's 503 "no available server" while the routing fact counts ready endpoints: Traefik builds its servers
 * from the same EndpointSlices, so this is the edge catching up (seen right after a deploy), not a mis-wiring; a
 * Service without ready endpoints already fails the routing fact from the objects.
 */
const catchingUp = (a: EndpointAnswer) => a.class === 'edge' && a.by === 'edge' && a.status === 503;

/** The edge answered itself (not TLS: a certificate is the TLS fact's) for a host whose route it should serve. */
const edgeAnswered = (e: EndpointEvidence) =>
  [e.https, e.http].find((a) => a.class === 'edge' && a.by === 'edge' && a.status > 0 && !catchingUp(a));

function blame(c: Claimant, a: EndpointAnswer): { summary: string; remediation: string } {
  const b = c.backends[0];
  const svc = b ? `Service ${b.service}` : 'the backend Service';
  const port = b?.port !== undefined ? ` (port ${b.port})` : '';
  const accepted = c.kind === 'Ingress' ? 'has an address' : 'Accepted';
  const head = `${c.kind} ${c.ref} ${accepted}, but the edge answers ${a.status} (${a.why}) on ${a.scheme}`;
  if (a.status === 502)
    return {
      summary: `${head}: the Service's targetPort/port does not reach a listening pod`,
      remediation: `check ${svc}: spec.ports[].targetPort${port} must be the port its pods listen on (containerPort of ${b?.deployments[0] ?? 'the Deployment'})`,
    };
  if (a.status === 404)
    return {
      summary: `${head}: the edge has no router for the host, so it did not program this ${c.kind}`,
      remediation:
        c.kind === 'Ingress'
          ? `check Ingress ${c.ref}: spec.rules[].http.paths[].backend.service.port must name a port that ${svc} has (spec.ports), and the edge's log for why it skipped the Ingress`
          : `check HTTPRoute ${c.ref}: spec.rules[].backendRefs[].port must be a port of ${svc} (spec.ports), and the edge's log`,
    };
  return {
    summary: `${head}: the edge cannot use the route's backend`,
    remediation: `check ${c.kind} ${c.ref}'s backend: ${svc}${port} must exist with that port`,
  };
}

/** The routing fact, unless the endpoint shows the edge does not deliver to the route's backend. */
export function crossCheckRouting(
  routing: Fact<RoutingEvidence>,
  endpoint: Fact<EndpointEvidence>,
): Fact<RoutingEvidence & { crossCheck?: RoutingCrossCheck }> {
  if (routing.status !== 'pass') return routing;
  const a = edgeAnswered(endpoint.evidence);
  const winner = servingClaimant(routing.evidence);
  if (!a || !winner || winner.redirect) return routing;
  const { summary, remediation } = blame(winner, a);
  return fact(
    'fail',
    summary,
    {
      ...routing.evidence,
      crossCheck: {
        answer: { scheme: a.scheme, status: a.status, why: a.why, bodyExcerpt: a.bodyExcerpt },
        objectsSaid: routing.summary,
      },
    },
    remediation,
  );
}

/** A failed endpoint is pending while what explains it is pending (TLS for https; routing for both). */
export function endpointWhilePending(
  endpoint: Fact<EndpointEvidence>,
  facts: Record<FactName, Fact>,
): Fact<EndpointEvidence> {
  if (endpoint.status !== 'fail') return endpoint;
  if (facts.routing.status === 'pending')
    return fact('pending', `${endpoint.summary} (routing is pending)`, endpoint.evidence, facts.routing.remediation);
  const failed = [endpoint.evidence.https, endpoint.evidence.http].filter((a) => a.problem);
  const becauseTls = (a: EndpointAnswer) => facts.tls.status === 'pending' && a.scheme === 'https' && a.status === 0;
  const becauseEdgeLags = (a: EndpointAnswer) => facts.routing.status === 'pass' && catchingUp(a);
  if (!failed.every((a) => becauseTls(a) || becauseEdgeLags(a))) return endpoint;
  const why = [
    failed.some(becauseTls) && 'the certificate is pending',
    failed.some(becauseEdgeLags) && "the edge has not caught up with the Service's ready endpoints",
  ].filter(Boolean);
  return fact(
    'pending',
    `${endpoint.summary} (${why.join('; ')})`,
    endpoint.evidence,
    failed.some(becauseTls) && facts.tls.remediation
      ? facts.tls.remediation
      : "wait a few seconds (the edge reads the same EndpointSlices); if it stays, look at the edge's log",
  );
}
