/**
 * The pin file (fixtures/components.yaml): every component skyprobe runs, with its version and how to build it.
 * Parsing is strict: an unknown key, a missing field or a malformed version is one clear error naming the place.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { SkyprobeError } from '../errors.ts';
import { type KindPins, parseKindPins } from './kind-pins.ts';
import { PinError, SEMVER, checkKeys, isRecord, stringList } from './pin-schema.ts';
import { type UpstreamSuiteName, type UpstreamSuitePin, parseSuitePins } from './suite-pins.ts';

export interface BinarySpec {
  /** File name of the binary in the component's bin/ folder. */
  name: string;
  /** Go package to build: a module path, or ./sub for a folder of the component's own sources. */
  package: string;
  /** argv after the binary that prints its version (absent: the binary has no version command). */
  version?: string[];
  /** Text that the version command's output must contain. */
  expect?: string;
  /** Module whose version the binary's embedded build info (`go version -m`) must show. */
  buildInfo?: string;
  /** Build the package's tests as one binary (`go test -c`) instead of the package (an upstream suite). */
  test?: boolean;
}

export interface FileCopy {
  module: string;
  from: string;
  to: string;
}

export interface GoComponent {
  name: string;
  /** Built only by `skyprobe setup --kind`: a part of the kind path (harness/setup/kind/), not of the embedded lab. */
  for?: 'kind';
  version: string;
  require: Record<string, string>;
  replace: Record<string, string>;
  stagingReplaces?: { version: string; modules: string[] };
  inheritReplaces?: string;
  sources?: string;
  ldflags: Record<string, string>;
  binaries: BinarySpec[];
  files: FileCopy[];
}

export interface PinFile {
  /** Minimum Go (major.minor) the builds need. */
  go: string;
  /** Debian package -> commands whose presence shows it is installed. */
  debian: Record<string, string[]>;
  components: GoComponent[];
  /** The kind provider's pins (harness/providers/kind/); absent in pin files that only build components. */
  kind?: KindPins;
  /** Upstream conformance suites (`skyprobe run --suite NAME`), each a test binary of a component above. */
  suites: Partial<Record<UpstreamSuiteName, UpstreamSuitePin>>;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

function stringMap(file: string, where: string, v: unknown, versions = false): Record<string, string> {
  if (v === undefined) return {};
  if (!isRecord(v)) throw new PinError(file, where, 'must be a map');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || val === '') throw new PinError(file, `${where}.${k}`, 'must be a non-empty string');
    if (versions && !SEMVER.test(val))
      throw new PinError(file, `${where}.${k}`, `"${val}" is not a version like v1.2.3`);
    out[k] = val;
  }
  return out;
}

function parseBinary(file: string, where: string, v: unknown): BinarySpec {
  if (!isRecord(v)) throw new PinError(file, where, 'must be a map');
  checkKeys(file, where, v, ['name', 'package', 'version', 'expect', 'buildInfo', 'test'], ['name', 'package']);
  if (v.version === undefined && v.buildInfo === undefined)
    throw new PinError(file, where, 'needs "version" or "buildInfo": a binary must be verifiable');
  if (v.version !== undefined && v.expect === undefined) throw new PinError(file, where, '"version" needs "expect"');
  const b: BinarySpec = { name: String(v.name), package: String(v.package) };
  if (v.version !== undefined) b.version = stringList(file, `${where}.version`, v.version);
  if (v.expect !== undefined) b.expect = String(v.expect);
  if (v.buildInfo !== undefined) b.buildInfo = String(v.buildInfo);
  if (v.test !== undefined) {
    if (typeof v.test !== 'boolean') throw new PinError(file, `${where}.test`, 'must be true or false');
    if (v.test) b.test = true;
  }
  return b;
}

function parseComponent(file: string, where: string, v: unknown): GoComponent {
  if (!isRecord(v)) throw new PinError(file, where, 'must be a map');
  const allowed = [
    'name',
    'version',
    'require',
    'replace',
    'stagingReplaces',
    'inheritReplaces',
    'sources',
    'ldflags',
    'binaries',
    'files',
    'for',
  ];
  checkKeys(file, typeof v.name === 'string' ? `${where} (${v.name})` : where, v, allowed, [
    'name',
    'version',
    'require',
    'binaries',
  ]);
  const name = String(v.name);
  if (!NAME.test(name))
    throw new PinError(file, `${where}.name`, `"${name}" must be lower-case letters, digits and dashes`);
  const at = `component ${name}`;
  const version = String(v.version);
  if (!SEMVER.test(version)) throw new PinError(file, `${at}.version`, `"${version}" is not a version like v1.2.3`);
  const c: GoComponent = {
    name,
    version,
    require: stringMap(file, `${at}.require`, v.require, true),
    replace: stringMap(file, `${at}.replace`, v.replace),
    ldflags: stringMap(file, `${at}.ldflags`, v.ldflags),
    binaries: [],
    files: [],
  };
  if (Object.keys(c.require).length === 0) throw new PinError(file, `${at}.require`, 'must name at least one module');
  if (v.stagingReplaces !== undefined) {
    const s = v.stagingReplaces;
    if (!isRecord(s)) throw new PinError(file, `${at}.stagingReplaces`, 'must be a map');
    checkKeys(file, `${at}.stagingReplaces`, s, ['version', 'modules'], ['version', 'modules']);
    if (!SEMVER.test(String(s.version)))
      throw new PinError(file, `${at}.stagingReplaces.version`, `"${s.version}" is not a version`);
    c.stagingReplaces = {
      version: String(s.version),
      modules: stringList(file, `${at}.stagingReplaces.modules`, s.modules),
    };
  }
  if (v.inheritReplaces !== undefined) {
    c.inheritReplaces = String(v.inheritReplaces);
    if (!(c.inheritReplaces in c.require))
      throw new PinError(file, `${at}.inheritReplaces`, `"${c.inheritReplaces}" is not in require`);
  }
  if (v.for !== undefined) {
    if (v.for !== 'kind') throw new PinError(file, `${at}.for`, `"${String(v.for)}" must be kind`);
    c.for = 'kind';
  }
  if (v.sources !== undefined) c.sources = String(v.sources);
  if (!Array.isArray(v.binaries) || v.binaries.length === 0)
    throw new PinError(file, `${at}.binaries`, 'must list at least one binary');
  c.binaries = v.binaries.map((b, i) => parseBinary(file, `${at}.binaries[${i}]`, b));
  for (const b of c.binaries)
    if (b.package.startsWith('./') && c.sources === undefined)
      throw new PinError(
        file,
        `${at}.binaries ${b.name}`,
        `package "${b.package}" is local but the component has no "sources"`,
      );
  if (v.files !== undefined) {
    if (!Array.isArray(v.files)) throw new PinError(file, `${at}.files`, 'must be a list');
    c.files = v.files.map((f, i) => {
      const w = `${at}.files[${i}]`;
      if (!isRecord(f)) throw new PinError(file, w, 'must be a map');
      checkKeys(file, w, f, ['module', 'from', 'to'], ['module', 'from', 'to']);
      if (!(String(f.module) in c.require)) throw new PinError(file, `${w}.module`, `"${f.module}" is not in require`);
      return { module: String(f.module), from: String(f.from), to: String(f.to) };
    });
  }
  return c;
}

/** Parse the pin file's text. `file` names it in errors. */
/** Larger than any pin file needs (the real one is about 10 KiB): bad input, before YAML spends time on it. */
export const PIN_FILE_MAX_BYTES = 256 * 1024;

export function parsePinFile(text: string, file = 'fixtures/components.yaml'): PinFile {
  if (text.length > PIN_FILE_MAX_BYTES)
    throw new PinError(file, 'size', `${text.length} characters, more than a pin file holds (${PIN_FILE_MAX_BYTES})`);
  let doc: unknown;
  try {
    // Strict: a warning (an unknown tag, say) is bad input too, not a value read some other way.
    const parsed = parseDocument(text, { logLevel: 'silent' });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) throw new Error(problem.message);
    doc = parsed.toJS();
  } catch (err) {
    throw new PinError(file, 'YAML', (err as Error).message.split('\n')[0] ?? 'cannot be parsed');
  }
  if (!isRecord(doc)) throw new PinError(file, 'top level', 'must be a map');
  checkKeys(file, 'top level', doc, ['go', 'debian', 'components', 'suites', 'kind'], ['go', 'debian', 'components']);
  const go = String(doc.go);
  if (!/^\d+\.\d+$/.test(go)) throw new PinError(file, 'go', `"${go}" must be major.minor, like 1.26`);
  if (!isRecord(doc.debian)) throw new PinError(file, 'debian', 'must be a map of package -> commands');
  const debian: Record<string, string[]> = {};
  for (const [pkg, cmds] of Object.entries(doc.debian)) debian[pkg] = stringList(file, `debian.${pkg}`, cmds);
  if (!Array.isArray(doc.components)) throw new PinError(file, 'components', 'must be a list');
  const components = doc.components.map((c, i) => parseComponent(file, `components[${i}]`, c));
  const seen = new Set<string>();
  for (const c of components) {
    if (seen.has(c.name)) throw new PinError(file, `component ${c.name}`, 'is listed twice');
    seen.add(c.name);
  }
  const suites = doc.suites === undefined ? {} : parseSuitePins(file, doc.suites, components);
  if (doc.kind === undefined) return { go, debian, components, suites };
  return { go, debian, components, suites, kind: parseKindPins(file, doc.kind, components) };
}

export function loadPinFile(path: string): PinFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SkyprobeError(`cannot read the pin file ${path}`, {
      hint: 'run skyprobe from a checkout of the skyprobe repository',
    });
  }
  return parsePinFile(text, path);
}
