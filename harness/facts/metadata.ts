/**
 * Fact 1, metadata: the platform says the host belongs to deployment D. The platform's records come through an
 * adapter (the lab's own records of deployed apps, a YAML/JSON file, or a URL returning JSON); the fact checks
 * that exactly one deployment is named, that it exists, and that the route for the host sends traffic to it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { SkyprobeError } from '../errors.ts';
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

/**
 * Accepted shapes: a list of records, or `{apps: [...]}`, or `{domains: [{host, deployment}]}`; a record is
 * `{deployment: "ns/name", hosts: ["a.example", {host: "b.example"}]}` (the lab's own records have this shape).
 */
export function parseMetadata(doc: unknown, origin: string): PlatformRecord[] {
  const bad = (why: string) =>
    new SkyprobeError(`metadata from ${origin} is not usable: ${why}`, {
      hint: 'give a list of {deployment: "namespace/name", hosts: [...]} records (docs/architecture.md, "domains check")',
    });
  const d = doc as { apps?: unknown; domains?: unknown } | unknown[] | null;
  if (d && !Array.isArray(d) && Array.isArray(d.domains))
    return (d.domains as { host?: unknown; deployment?: unknown }[]).map((x) => {
      if (typeof x?.host !== 'string' || typeof x.deployment !== 'string')
        throw bad('each domains[] entry needs host and deployment');
      return { deployment: x.deployment, hosts: [x.host] };
    });
  const list = Array.isArray(d) ? d : d && Array.isArray(d.apps) ? d.apps : undefined;
  if (!list) throw bad('expected a list of records, {apps: [...]} or {domains: [...]}');
  return (list as { deployment?: unknown; hosts?: unknown }[]).map((r) => {
    if (typeof r?.deployment !== 'string' || !Array.isArray(r.hosts))
      throw bad('each record needs deployment (namespace/name) and hosts');
    return {
      deployment: r.deployment,
      hosts: r.hosts
        .map((h: unknown) => (typeof h === 'string' ? h : ((h as { host?: string })?.host ?? '')))
        .filter(Boolean),
    };
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
    return { origin: spec, records: parseMetadata(body, spec) };
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
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new SkyprobeError(`metadata file ${spec} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'fix the file (JSON is YAML too)',
    });
  }
  return { origin: spec, records: parseMetadata(doc, spec) };
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
