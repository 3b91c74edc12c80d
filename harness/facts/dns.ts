/**
 * Fact 3, DNS: what the public resolver answers for the host (A, AAAA, the CNAME chain) against the addresses
 * the edge publishes, and whether CAA lets the platform's CA issue. A resolver that does not answer makes the
 * fact `unknown` (bounded: dig waits 1 s per try, 2 tries; the questions are asked in parallel).
 */
import { type DnsProbeContext, caa, caaAllows, resolveChain } from '../probes/dns.ts';
import { type Fact, fact } from './fact.ts';

/** The CA identity of Satusky's production issuer in CAA records (the contract: Let's Encrypt). */
export const CA_IDENTITY = 'letsencrypt.org';

export interface DnsEvidence {
  resolver: string;
  edge: { addresses: string[]; from: string[] };
  a: { chain: string[]; addresses: string[]; rcode?: string };
  aaaa: { chain: string[]; addresses: string[] };
  caa: { at?: string; records: string[]; allows: boolean };
}

export async function dnsFact(
  ctx: DnsProbeContext,
  host: string,
  edge: { addresses: string[]; from: string[] },
  caIdentity = CA_IDENTITY,
): Promise<Fact<DnsEvidence>> {
  const [a, aaaa, c] = await Promise.all([
    resolveChain(ctx, host, 'A'),
    resolveChain(ctx, host, 'AAAA'),
    caa(ctx, host),
  ]);
  const rcode = a.answers[0]?.rcode;
  const evidence: DnsEvidence = {
    resolver: ctx.server,
    edge,
    a: { chain: a.chain, addresses: a.addresses, rcode },
    aaaa: { chain: aaaa.chain, addresses: aaaa.addresses },
    caa: { at: c.at, records: c.records, allows: caaAllows(c.records, caIdentity) },
  };
  if (rcode === 'TIMEOUT' || rcode === 'UNKNOWN')
    return fact(
      'unknown',
      `resolver ${ctx.server} did not answer for ${host}`,
      evidence,
      'check that the resolver is reachable from here (--resolver ADDR)',
    );
  if (edge.addresses.length === 0)
    return fact(
      'unknown',
      `A ${host} -> ${a.addresses.join(', ') || 'nothing'}; the edge publishes no address to compare with`,
      evidence,
      "pass the edge's address with --edge IP, or check the Gateway/Ingress status",
    );
  const problems: { summary: string; remedy: string }[] = [];
  const via = a.chain.length > 1 ? ` (CNAME chain ${a.chain.join(' -> ')})` : '';
  const end = a.chain.at(-1) as string;
  if (a.addresses.length === 0 && aaaa.addresses.length === 0) {
    problems.push(
      a.chain.length > 1
        ? {
            summary: `the CNAME chain ${a.chain.join(' -> ')} ends at ${end}, which has no address`,
            remedy: `point ${end === host ? host : a.chain[a.chain.length - 2]} at a name that resolves to the edge (${edge.addresses.join(', ')})`,
          }
        : {
            summary: `no A or AAAA record for ${host} (${rcode})`,
            remedy: `create A ${host} -> ${edge.addresses.join(', ')} at the zone's DNS provider`,
          },
    );
  } else if (a.addresses.some((x) => !edge.addresses.includes(x))) {
    problems.push({
      summary: `A ${host}${via} -> ${a.addresses.join(', ')}, but the edge is at ${edge.addresses.join(', ')}`,
      remedy:
        a.chain.length > 1
          ? `point the CNAME chain at the platform's host, or change ${end}'s A record to ${edge.addresses.join(', ')}`
          : `change A ${host} to ${edge.addresses.join(', ')}`,
    });
  } else if (a.addresses.length === 0) {
    problems.push({
      summary: `no A record for ${host}, only AAAA ${aaaa.addresses.join(', ')}`,
      remedy: `create A ${host} -> ${edge.addresses.join(', ')}`,
    });
  }
  const stray = aaaa.addresses.filter((x) => !edge.addresses.includes(x));
  if (stray.length > 0)
    problems.push({
      summary: `stray AAAA ${host} -> ${stray.join(', ')}: IPv6 clients reach something that is not the edge`,
      remedy: `delete the AAAA record${aaaa.chain.length > 1 ? ` of ${aaaa.chain.at(-1)}` : ''} (the edge has no IPv6 address there)`,
    });
  if (!evidence.caa.allows)
    problems.push({
      summary: `CAA at ${c.at} (${c.records.join('; ')}) forbids ${caIdentity} from issuing for ${host}`,
      remedy: `add CAA 0 issue "${caIdentity}" at ${c.at}, or remove the CAA records`,
    });
  if (problems.length > 0)
    return fact('fail', problems.map((p) => p.summary).join('; '), evidence, problems.map((p) => p.remedy).join('; '));
  return fact(
    'pass',
    `A ${host}${via} -> ${a.addresses.join(', ')} = the edge${c.records.length > 0 ? `; CAA at ${c.at} allows ${caIdentity}` : ''}`,
    evidence,
  );
}
