/**
 * The `suites:` section of the pin file: upstream conformance suites that `skyprobe run --suite NAME` runs against
 * the provider's edge. Each is a test binary of a Go component (built with `go test -c`, so its version is that
 * component's), and carries what the suite is told about the implementation: the GatewayClass, the profiles and
 * the extended features the implementation declares. Checked strictly, like the rest of the pin file.
 */
import { PinError, checkKeys, isRecord, stringList } from './pin-schema.ts';

export const UPSTREAM_SUITES = ['gateway-api'] as const;
export type UpstreamSuiteName = (typeof UPSTREAM_SUITES)[number];

export interface UpstreamSuitePin {
  name: UpstreamSuiteName;
  /** The Go component whose test binary this is; the suite's version is the component's. */
  component: string;
  version: string;
  binary: string;
  /** The Go test function that runs the suite (`-test.run ^NAME$`). */
  test: string;
  gatewayClass: string;
  profiles: string[];
  supportedFeatures: string[];
  /**
   * Upstream tests the implementation's pinned release is known to fail, each with the reason and its evidence:
   * given to the suite as skipped tests (its report then says so: a skipped core test makes the result partial).
   */
  knownFailures: Record<string, string>;
  /** Who implements what is tested, as the suite's report names it; `component` gives the version. */
  implementation: { organization: string; project: string; url: string; component: string; version: string };
}

/** What this section reads of the Go components: names, versions and test binaries. */
export type SuiteComponent = { name: string; version: string; binaries: { name: string; test?: boolean }[] };

/** A feature's or an upstream test's name (CamelCase). */
const FEATURE = /^[A-Z][A-Za-z0-9]+$/;
const PROFILE = /^[A-Z][A-Z0-9-]+$/;
const GO_TEST = /^Test[A-Za-z0-9_]*$/;

function parseSuite(file: string, name: UpstreamSuiteName, v: unknown, built: SuiteComponent[]): UpstreamSuitePin {
  const at = `suites.${name}`;
  if (!isRecord(v)) throw new PinError(file, at, 'must be a map');
  const keys = ['component', 'binary', 'test', 'gatewayClass', 'profiles', 'supportedFeatures', 'implementation'];
  checkKeys(file, at, v, [...keys, 'knownFailures'], keys);
  const component = built.find((c) => c.name === String(v.component));
  if (!component) throw new PinError(file, `${at}.component`, `"${v.component}" is not a component of this file`);
  const binary = component.binaries.find((b) => b.name === String(v.binary));
  if (!binary?.test)
    throw new PinError(file, `${at}.binary`, `"${v.binary}" is not a test binary (test: true) of ${component.name}`);
  const test = String(v.test);
  if (!GO_TEST.test(test)) throw new PinError(file, `${at}.test`, `"${test}" is not a Go test function name`);
  const profiles = stringList(file, `${at}.profiles`, v.profiles);
  for (const p of profiles) if (!PROFILE.test(p)) throw new PinError(file, `${at}.profiles`, `"${p}" is no profile`);
  const supportedFeatures = stringList(file, `${at}.supportedFeatures`, v.supportedFeatures);
  for (const f of supportedFeatures)
    if (!FEATURE.test(f)) throw new PinError(file, `${at}.supportedFeatures`, `"${f}" is no feature name`);
  const knownFailures: Record<string, string> = {};
  if (v.knownFailures !== undefined) {
    if (!isRecord(v.knownFailures)) throw new PinError(file, `${at}.knownFailures`, 'must be a map of test -> reason');
    for (const [test, reason] of Object.entries(v.knownFailures)) {
      if (!FEATURE.test(test)) throw new PinError(file, `${at}.knownFailures`, `"${test}" is no test name`);
      if (typeof reason !== 'string' || reason.trim() === '')
        throw new PinError(file, `${at}.knownFailures.${test}`, 'needs the reason and its evidence');
      knownFailures[test] = reason.trim();
    }
  }
  const impl = v.implementation;
  if (!isRecord(impl)) throw new PinError(file, `${at}.implementation`, 'must be a map');
  const implKeys = ['organization', 'project', 'url', 'component'];
  checkKeys(file, `${at}.implementation`, impl, implKeys, implKeys);
  const implComponent = built.find((c) => c.name === String(impl.component));
  if (!implComponent)
    throw new PinError(file, `${at}.implementation.component`, `"${impl.component}" is not a component of this file`);
  return {
    name,
    component: component.name,
    version: component.version,
    binary: binary.name,
    test,
    gatewayClass: String(v.gatewayClass),
    profiles,
    supportedFeatures,
    knownFailures,
    implementation: {
      organization: String(impl.organization),
      project: String(impl.project),
      url: String(impl.url),
      component: implComponent.name,
      version: implComponent.version,
    },
  };
}

/** Parse the `suites:` section; `built` are the Go components of the same file. */
export function parseSuitePins(
  file: string,
  v: unknown,
  built: SuiteComponent[],
): Partial<Record<UpstreamSuiteName, UpstreamSuitePin>> {
  if (!isRecord(v)) throw new PinError(file, 'suites', 'must be a map');
  const out: Partial<Record<UpstreamSuiteName, UpstreamSuitePin>> = {};
  for (const [name, suite] of Object.entries(v)) {
    if (!(UPSTREAM_SUITES as readonly string[]).includes(name))
      throw new PinError(file, `suites.${name}`, `unknown suite (known: ${UPSTREAM_SUITES.join(', ')})`);
    out[name as UpstreamSuiteName] = parseSuite(file, name as UpstreamSuiteName, suite, built);
  }
  return out;
}
