/**
 * A capture bundle (`skyprobe.capture/v1`): one readable JSON file with what `domains check` read for some hosts of
 * a cluster, enough to rebuild them in a lab (`skyprobe lab replay`). Secrets are never in it: they appear by
 * name and type, a TLS Secret with its certificate's public fields only (redact.ts says what else is taken out).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SkyprobeError } from '../errors.ts';
import type { Obj } from '../facts/cluster-view.ts';
import type { DomainReport } from '../facts/fact.ts';
import type { PlatformRecord } from '../facts/metadata.ts';
import type { DnsAnswer } from '../probes/dns.ts';
import type { CertInfo } from '../probes/tls.ts';

export const CAPTURE_SCHEMA = 'skyprobe.capture/v1';

/** A Secret as the bundle knows it: never its data. */
export interface SecretStub {
  namespace: string;
  name: string;
  type: string;
  /** A TLS Secret's certificate chain, public fields only (tls.key is never read into the bundle). */
  certificate?: CertInfo[];
}

/** What was removed from a captured object, and why (the bundle lists every removal). */
export interface Redaction {
  /** Kind namespace/name. */
  object: string;
  /** Where in the object: metadata.annotations.x, spec.template.spec.containers[app].env[TOKEN]. */
  path: string;
  reason: string;
}

/** The public DNS answers for one host, as the resolver gave them. */
export interface DnsCapture {
  resolver: string;
  /** The zone the host is in (the SOA's owner), where the replay writes its records. */
  zone?: string;
  a: DnsAnswer[];
  aaaa: DnsAnswer[];
  caa: DnsAnswer[];
}

export interface CapturedHost {
  host: string;
  /** Refs (Kind namespace/name) of the objects of `objects` that belong to this host. */
  objects: string[];
  dns: DnsCapture;
  /** The platform's record naming the host, if any. */
  record?: PlatformRecord;
  /** `domains check` of the host at capture time (skyprobe.domains/v1's per-host entry). */
  check: DomainReport;
}

export interface CaptureBundle {
  schema: typeof CAPTURE_SCHEMA;
  capturedAt: string;
  source: {
    apiServer: string;
    resolver: string;
    /** The addresses the source's edge published (Gateway and Ingress status, or --edge): the replay maps them to the lab's load balancer. */
    edge: string[];
    /** Where the platform records came from. */
    metadata?: string;
  };
  hosts: CapturedHost[];
  /** Every captured object once (metadata trimmed, status kept as evidence, redacted). */
  objects: Obj[];
  secrets: SecretStub[];
  redactions: Redaction[];
  /** Kinds the source cluster does not serve, or that could not be listed (as domains check saw them). */
  missing: string[];
}

export const objectRef = (o: { kind?: string; metadata?: { name?: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Written whole or not at all (a temporary file renamed into place). */
export function writeBundle(file: string, b: CaptureBundle): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(b, null, 1)}\n`);
  renameSync(tmp, file);
}

/** Read and check a bundle: unreadable, not JSON, another schema or missing parts are bad input (exit 2). */
export function readBundle(file: string): CaptureBundle {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SkyprobeError(`cannot read bundle ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      hint: 'give the file `skyprobe capture -o FILE` wrote',
    });
  }
  let doc: Partial<CaptureBundle> & { schema?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new SkyprobeError(`bundle ${file} is not JSON`, { hint: 'give the file `skyprobe capture -o FILE` wrote' });
  }
  if (doc?.schema !== CAPTURE_SCHEMA)
    throw new SkyprobeError(
      `bundle ${file} has schema ${JSON.stringify(doc?.schema ?? null)}, this skyprobe reads ${CAPTURE_SCHEMA}`,
      { hint: 'capture the hosts again with this version of skyprobe' },
    );
  const lists = ['hosts', 'objects', 'secrets', 'redactions'] as const;
  const broken = lists.find((k) => !Array.isArray(doc[k]));
  if (broken || !doc.source || typeof doc.source.apiServer !== 'string')
    throw new SkyprobeError(`bundle ${file} is incomplete (${broken ?? 'source'} missing or malformed)`, {
      hint: 'capture the hosts again; a bundle is written whole or not at all',
    });
  const badHost = (doc.hosts as unknown[]).find(
    (h) => typeof (h as CapturedHost)?.host !== 'string' || typeof (h as CapturedHost).check !== 'object',
  );
  if (badHost !== undefined)
    throw new SkyprobeError(`bundle ${file} has a host entry without host or check`, {
      hint: 'capture the hosts again',
    });
  return doc as CaptureBundle;
}
