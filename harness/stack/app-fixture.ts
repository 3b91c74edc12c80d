/**
 * An app fixture (fixtures/apps/*.yaml): an app as Satusky's platform knows it. Strict parsing: an invalid
 * hostname, a missing field or an unknown key is one error naming the field.
 */
import { parseDocument } from 'yaml';
import { SkyprobeError } from '../errors.ts';

export interface AppFixture {
  org: string;
  app: string;
  image: string;
  replicas: number;
  /** Port the app's program listens on. */
  port: number;
  /** `<app>-<org>.satusky.com`, which Satusky owns. */
  generatedHost: string;
  customDomains: string[];
  aliases: string[];
  /** www.<first custom domain> redirects permanently to the first custom domain. */
  wwwRedirect: boolean;
  /** Plain HTTP to any host of the app redirects permanently to HTTPS (ACME's HTTP-01 path must still answer). */
  httpsRedirect: boolean;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class FixtureError extends SkyprobeError {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`, { hint: 'see fixtures/apps/README.md for the fields of an app fixture' });
  }
}

export function isHostname(h: string): boolean {
  return HOST.test(h);
}

/** Bounds of an app fixture, so that an oversized one is bad input, not a slow or huge deploy. */
export const FIXTURE_LIMITS = { bytes: 64 * 1024, image: 512, hosts: 100 } as const;

export function parseAppFixture(text: string, file = 'app fixture'): AppFixture {
  if (text.length > FIXTURE_LIMITS.bytes)
    throw new FixtureError(
      file,
      'size',
      `${text.length} characters, more than an app fixture holds (${FIXTURE_LIMITS.bytes})`,
    );
  let doc: unknown;
  try {
    // Strict: a warning (an unknown tag, say) is bad input too, not a value read some other way.
    const parsed = parseDocument(text, { logLevel: 'silent' });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) throw new Error(problem.message);
    doc = parsed.toJS();
  } catch (err) {
    throw new FixtureError(file, 'YAML', (err as Error).message.split('\n')[0] ?? 'cannot be parsed');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new FixtureError(file, 'top level', 'must be a map');
  const d = doc as Record<string, unknown>;
  const allowed = [
    'org',
    'app',
    'image',
    'replicas',
    'port',
    'customDomains',
    'aliases',
    'wwwRedirect',
    'httpsRedirect',
  ];
  for (const k of Object.keys(d))
    if (!allowed.includes(k)) throw new FixtureError(file, k, `unknown key (allowed: ${allowed.join(', ')})`);
  for (const k of ['org', 'app', 'image'])
    if (typeof d[k] !== 'string' || d[k] === '') throw new FixtureError(file, k, 'missing (a non-empty string)');
  if ((d.image as string).length > FIXTURE_LIMITS.image || /\s/.test(d.image as string))
    throw new FixtureError(
      file,
      'image',
      `must be an image reference of at most ${FIXTURE_LIMITS.image} characters, no spaces`,
    );
  const org = d.org as string;
  const app = d.app as string;
  for (const [k, v] of [
    ['org', org],
    ['app', app],
  ] as const)
    if (!LABEL.test(v))
      throw new FixtureError(file, k, `"${v}" must be lower-case letters, digits and dashes (a DNS label)`);
  const num = (k: string, def: number, min: number, max: number): number => {
    const v = d[k] ?? def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new FixtureError(file, k, `must be a whole number from ${min} to ${max}`);
    return v;
  };
  const hosts = (k: string): string[] => {
    const v = d[k] ?? [];
    if (!Array.isArray(v)) throw new FixtureError(file, k, 'must be a list of hostnames');
    return v.map((h, i) => {
      if (typeof h !== 'string' || !isHostname(h))
        throw new FixtureError(file, `${k}[${i}]`, `"${String(h)}" is not a valid hostname`);
      if (h === 'satusky.com' || h.endsWith('.satusky.com'))
        throw new FixtureError(file, `${k}[${i}]`, `"${h}" is in satusky.com, which only generated hosts use`);
      return h;
    });
  };
  const generatedHost = `${app}-${org}.satusky.com`;
  if (!isHostname(generatedHost))
    throw new FixtureError(file, 'app', `the generated host ${generatedHost} is not a valid hostname`);
  const customDomains = hosts('customDomains');
  const aliases = hosts('aliases');
  if (customDomains.length + aliases.length > FIXTURE_LIMITS.hosts)
    throw new FixtureError(
      file,
      'customDomains/aliases',
      `${customDomains.length + aliases.length} hosts, more than ${FIXTURE_LIMITS.hosts}`,
    );
  if (d.wwwRedirect !== undefined && typeof d.wwwRedirect !== 'boolean')
    throw new FixtureError(file, 'wwwRedirect', 'must be true or false');
  const wwwRedirect = d.wwwRedirect === true;
  if (d.httpsRedirect !== undefined && typeof d.httpsRedirect !== 'boolean')
    throw new FixtureError(file, 'httpsRedirect', 'must be true or false');
  if (wwwRedirect && customDomains.length === 0)
    throw new FixtureError(file, 'wwwRedirect', 'needs a custom domain to redirect to');
  const all = [generatedHost, ...customDomains, ...aliases, ...(wwwRedirect ? [`www.${customDomains[0]}`] : [])];
  const dup = all.find((h, i) => all.indexOf(h) !== i);
  if (dup) throw new FixtureError(file, 'customDomains/aliases', `"${dup}" is listed twice`);
  return {
    org,
    app,
    image: d.image as string,
    replicas: num('replicas', 2, 1, 10),
    port: num('port', 8080, 1, 65535),
    generatedHost,
    customDomains,
    aliases,
    wwwRedirect,
    httpsRedirect: d.httpsRedirect === true,
  };
}

/** Every host the app claims, with its kind. */
export function appHosts(a: AppFixture): { host: string; kind: 'generated' | 'custom' | 'alias' | 'www' }[] {
  return [
    { host: a.generatedHost, kind: 'generated' as const },
    ...a.customDomains.map((host) => ({ host, kind: 'custom' as const })),
    ...a.aliases.map((host) => ({ host, kind: 'alias' as const })),
    ...(a.wwwRedirect ? [{ host: `www.${a.customDomains[0]}`, kind: 'www' as const }] : []),
  ];
}
