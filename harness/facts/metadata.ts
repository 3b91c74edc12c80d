/**
 * Fact 1, metadata: the platform says the host belongs to deployment D. The platform's records come through an
 * adapter (the lab's own records of deployed apps, a YAML/JSON file, or a URL returning JSON); the fact checks
 * that exactly one deployment is named, that it exists, and that the route for the host sends traffic to it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'undici';
import { parseDocument } from 'yaml';
import { SkyprobeError } from '../errors.ts';
import { isHostname } from '../stack/app-fixture.ts';
import { readMetadata } from '../stack/deploy.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { type ClusterView, ref } from './cluster-view.ts';
import { type Fact, fact } from './fact.ts';
import { type RoutingEvidence, servingClaimant } from './routing.ts';

/** One platform record: a deployment (namespace/name) and the hosts the platform assigns to it. */
export interface PlatformRecord {
  deployment: string;
  hosts: string[];
}

export interface MetadataSource {
  /** Where the records come from, for evidence. */
  origin: string;
  records: PlatformRecord[];
}

/** Bounds of a metadata file or answer: beyond them it is bad input, not a slow check. */
export const METADATA_LIMITS = { bytes: 16 * 1024 * 1024, records: 10_000, hosts: 1_000 } as const;

const DEPLOYMENT = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/**
 * Accepted shapes: a list of records, or `{apps: [...]}`, or `{domains: [{host, deployment}]}`; a record is
 * `{deployment: "ns/name", hosts: ["a.example", {host: "b.example"}]}` (the lab's own records have this shape).
 * `strict` (a file or URL a user gives): no other keys, every host a DNS name, every deployment namespace/name,
 * within METADATA_LIMITS; the lab's own records carry more fields (stack/deploy.ts AppMetadata) and are read as they
 * are. Two records naming one host are not bad input: the metadata fact reports it (more than one deployment).
 */
export function parseMetadata(doc: unknown, origin: string, o: { strict?: boolean } = {}): PlatformRecord[] {
  const bad = (why: string) =>
    new SkyprobeError(`metadata from ${origin} is not usable: ${why}`, {
      hint: 'give a list of {deployment: "namespace/name", hosts: [...]} records (docs/architecture.md, "domains check")',
    });
  const only = (what: string, x: unknown, keys: string[]) => {
    if (!o.strict || typeof x !== 'object' || x === null) return;
    const extra = Object.keys(x).find((k) => !keys.includes(k));
    if (extra !== undefined) throw bad(`${what}: unknown key "${extra.slice(0, 40)}" (allowed: ${keys.join(', ')})`);
  };
  const checked = (r: PlatformRecord, i: number): PlatformRecord => {
    if (!o.strict) return r;
    if (!DEPLOYMENT.test(r.deployment))
      throw bad(`record ${i}: deployment "${r.deployment.slice(0, 80)}" is not namespace/name`);
    if (r.hosts.length > METADATA_LIMITS.hosts) throw bad(`record ${i}: more than ${METADATA_LIMITS.hosts} hosts`);
    const host = r.hosts.find((h) => !isHostname(h.toLowerCase().replace(/\.$/, '')));
    if (host !== undefined) throw bad(`record ${i}: "${host.slice(0, 80)}" is not a valid hostname`);
    return r;
  };
  const d = doc as { apps?: unknown; domains?: unknown } | unknown[] | null;
  const list = Array.isArray(d)
    ? d
    : d && typeof d === 'object' && Array.isArray(d.domains)
      ? d.domains
      : d && typeof d === 'object' && Array.isArray(d.apps)
        ? d.apps
        : undefined;
  if (!list) throw bad('expected a list of records, {apps: [...]} or {domains: [...]}');
  if (o.strict && list.length > METADATA_LIMITS.records) throw bad(`more than ${METADATA_LIMITS.records} records`);
  if (d && !Array.isArray(d)) only('top level', d, [Array.isArray(d.domains) ? 'domains' : 'apps']);
  if (d && !Array.isArray(d) && Array.isArray(d.domains))
    return (d.domains as { host?: unknown; deployment?: unknown }[]).map((x, i) => {
      if (typeof x?.host !== 'string' || typeof x.deployment !== 'string')
        throw bad('each domains[] entry needs host and deployment');
      only(`domains[${i}]`, x, ['host', 'deployment']);
      return checked({ deployment: x.deployment, hosts: [x.host] }, i);
    });
  return (list as { deployment?: unknown; hosts?: unknown }[]).map((r, i) => {
    if (typeof r?.deployment !== 'string' || !Array.isArray(r.hosts))
      throw bad('each record needs deployment (namespace/name) and hosts');
    only(`record ${i}`, r, ['deployment', 'hosts']);
    if (o.strict) {
      const wrong = r.hosts.findIndex(
        (h: unknown) =>
          typeof h !== 'string' &&
          (typeof h !== 'object' || h === null || typeof (h as { host?: unknown }).host !== 'string'),
      );
      if (wrong >= 0) throw bad(`record ${i}: hosts[${wrong}] must be a hostname or {host: hostname}`);
      for (const h of r.hosts) if (typeof h === 'object') only(`record ${i} host`, h, ['host']);
    }
    return checked(
      {
        deployment: r.deployment,
        hosts: r.hosts
          .map((h: unknown) => (typeof h === 'string' ? h : ((h as { host?: string })?.host ?? '')))
          .filter(Boolean),
      },
      i,
    );
  });
}

/** The lab's own records of deployed apps, read afresh at every use (apps come and go while a lab runs). */
export function labMetadataSource(dir: string): MetadataSource {
  return {
    origin: `the lab's platform records (${dir})`,
    get records() {
      return parseMetadata(readMetadata(dir), dir);
    },
  };
}

/** A file (YAML or JSON), a folder of the lab's records, or an http(s) URL returning JSON (bounded by TIMEOUTS.metadataUrl); unreadable input is bad input. */
export async function loadMetadataSource(spec: string): Promise<MetadataSource> {
  if (/^https?:\/\//.test(spec)) {
    let body: unknown;
    try {
      const res = await request(spec, { headersTimeout: TIMEOUTS.metadataUrl, bodyTimeout: TIMEOUTS.metadataUrl });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      body = await res.body.json();
    } catch (err) {
      throw new SkyprobeError(`cannot read metadata from ${spec}: ${(err as Error).message}`, {
        hint: 'check the URL (it must answer 200 with JSON) or pass a file with --metadata',
      });
    }
    return { origin: spec, records: parseMetadata(body, spec, { strict: true }) };
  }
  if (existsSync(spec) && statSync(spec).isDirectory()) return labMetadataSource(spec);
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch (err) {
    throw new SkyprobeError(
      `cannot read metadata file ${spec}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { hint: 'check the path and its permissions (--metadata FILE|URL)' },
    );
  }
  if (text.length > METADATA_LIMITS.bytes)
    throw new SkyprobeError(
      `metadata file ${spec} is too large: ${text.length} characters (at most ${METADATA_LIMITS.bytes})`,
      {
        hint: 'give the records of the hosts to check (--metadata FILE|URL)',
      },
    );
  let doc: unknown;
  try {
    // Strict: a warning (an unknown tag, say) is bad input too, not a value read some other way.
    const parsed = parseDocument(text, { logLevel: 'silent' });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) throw new Error(problem.message);
    doc = parsed.toJS();
  } catch (err) {
    throw new SkyprobeError(`metadata file ${spec} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'fix the file (JSON is YAML too)',
    });
  }
  return { origin: spec, records: parseMetadata(doc, spec, { strict: true }) };
}

export interface MetadataEvidence {
  origin?: string;
  records: PlatformRecord[];
  deployment?: string;
  /** Where the route actually sends the host. */
  routedTo?: string[];
}

export function metadataFact(
  source: MetadataSource | undefined,
  host: string,
  view: ClusterView,
  routing: RoutingEvidence,
): Fact<MetadataEvidence> {
  if (!source)
    return fact(
      'unknown',
      'no metadata source',
      { records: [] },
      "pass --metadata FILE|URL with the platform's records",
    );
  const records = source.records.filter((r) => r.hosts.includes(host));
  const evidence: MetadataEvidence = { origin: source.origin, records };
  const named = [...new Set(records.map((r) => r.deployment))];
  if (named.length === 0)
    return fact(
      'fail',
      `the platform has no record of ${host}`,
      evidence,
      `add ${host} to its app in the platform (or check the metadata source: ${source.origin})`,
    );
  if (named.length > 1)
    return fact(
      'fail',
      `the platform assigns ${host} to ${named.length} deployments: ${named.join(', ')}`,
      evidence,
      'keep the host on one app only',
    );
  const deployment = named[0] as string;
  evidence.deployment = deployment;
  if (!view.errors.Deployment && !view.objects.Deployment.some((d) => ref(d) === deployment))
    return fact(
      'fail',
      `the platform says ${host} belongs to ${deployment}, which does not exist in the cluster`,
      evidence,
      "redeploy the app, or correct the platform's record",
    );
  const winner = servingClaimant(routing);
  const routedTo = [...new Set((winner?.backends ?? []).flatMap((b) => b.deployments))];
  evidence.routedTo = routedTo;
  if (winner && !winner.redirect && routedTo.length > 0 && !routedTo.includes(deployment))
    return fact(
      'fail',
      `the platform says ${host} belongs to ${deployment}, but ${routing.winner} sends it to ${routedTo.join(', ')}`,
      evidence,
      "correct the platform's record or the route, whichever is wrong",
    );
  return fact(
    'pass',
    `the platform says ${host} belongs to ${deployment}${routedTo.length > 0 ? ', and the route sends it there' : ''}`,
    evidence,
  );
}
