/**
 * `skyprobe run --suite gateway-api`: an upstream suite of the pin file, run against the provider's cluster and
 * folded into the run's report. `prepareUpstream` resolves the built binary before anything starts (a suite that
 * setup has not built is one clear error, and nothing is left behind); `runUpstream` runs it with progress (each
 * upstream test's start and end; a test still running after a while says so) and returns its report entries.
 */
import { join } from 'node:path';
import { waitUntil } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { clientsFor } from '../k8s/client.ts';
import type { Progress } from '../log.ts';
import type { ClusterHandle } from '../providers/provider.ts';
import { upstreamId, upstreamScenarios, upstreamSummary } from '../report/upstream.ts';
import type { ReportScenario, ReportUpstreamSuite } from '../report/schema.ts';
import { binaryPath, cachePaths, readManifest } from '../setup/cache.ts';
import type { PinFile } from '../setup/components.ts';
import { componentBinary } from '../setup/setup.ts';
import { UPSTREAM_SUITES, type UpstreamSuiteName, type UpstreamSuitePin } from '../setup/suite-pins.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import { LOG_FILE, REPORT_FILE, runGatewayApiSuite } from '../upstream/gateway-api.ts';

export interface PreparedSuite {
  pin: UpstreamSuitePin;
  binary: string;
  /** The pin file it came from (runUpstream finds kubectl in it, without reading the file again). */
  pins: PinFile;
}

export const isUpstreamSuite = (name: string): name is UpstreamSuiteName =>
  (UPSTREAM_SUITES as readonly string[]).includes(name);

/**
 * `--scenario GWAPI-<Name>`: one upstream test, run by its suite (the suite's own --run-test, which takes one test,
 * a known failure too). Returns undefined when no id names an upstream test.
 */
export function upstreamScenarioTest(
  ids: string[],
): { suite: UpstreamSuiteName; test: string; ids: string[] } | undefined {
  const upstream = ids.filter((id) => /^GWAPI-/i.test(id));
  if (upstream.length === 0) return undefined;
  if (upstream.length > 1)
    throw new SkyprobeError(`--scenario ${upstream.join(', ')}: the gateway-api suite runs one test at a time`, {
      hint: 'give one GWAPI-<Name> per run (the suite runs all of them with --suite gateway-api)',
    });
  const test = (upstream[0] as string).slice('GWAPI-'.length);
  if (!/^[A-Z][A-Za-z0-9]+$/.test(test))
    throw new SkyprobeError(`--scenario ${upstream[0]}: "${test}" is no upstream test name`, {
      hint: 'upstream tests are CamelCase, as the report lists them: GWAPI-HTTPRouteSimpleSameNamespace',
    });
  return { suite: 'gateway-api', test, ids: upstream };
}

/** The suite's pin and built binary, or one clear error naming the fix. */
export function prepareUpstream(pins: PinFile, name: UpstreamSuiteName): PreparedSuite {
  const pin = pins.suites[name];
  if (!pin) throw new SkyprobeError(`the pin file has no suite "${name}"`, { hint: 'see fixtures/components.yaml' });
  const component = pins.components.find((c) => c.name === pin.component);
  const paths = cachePaths();
  const built = component ? readManifest(paths, component) : undefined;
  if (!component || !built?.binaries.some((b) => b.name === pin.binary))
    throw new SkyprobeError(`the ${name} suite ${pin.version} is not built (${pin.component}: ${pin.binary})`, {
      hint: 'run: skyprobe setup',
    });
  // Where the cache keeps it now (the manifest's recorded path is where it was built, which may have moved).
  return { pin, binary: binaryPath(paths, component, pin.binary), pins };
}

/** The suite creates namespaces, Gateways and routes of its own: a read-only provider cannot run it. */
export function checkCluster(p: Pick<PreparedSuite, 'pin'>, cluster: ClusterHandle): void {
  if (!cluster.capabilities.clusterScoped || !cluster.capabilities.createApps)
    throw new SkyprobeError(
      `the ${p.pin.name} suite creates namespaces and Gateways: provider ${cluster.provider} may not`,
      { hint: 'run it with --provider embedded (the default) or kind' },
    );
}

/**
 * The suite talks to the API from where it stands (the lab's internet host), not from this machine: before it
 * starts, the API must answer there (kubectl get --raw /readyz with the same kubeconfig, 2 answers in a row,
 * bounded). A cluster whose API that host cannot reach is one clear error, not a suite that times out per test.
 */
export async function apiAnswersFromSuiteHost(
  run: Runner,
  kubectl: string,
  cluster: Pick<ClusterHandle, 'kubeconfig' | 'internetNetns'>,
  timeoutMs: number = TIMEOUTS.apiFromSuiteHost,
): Promise<void> {
  const argv = [kubectl, '--kubeconfig', cluster.kubeconfig, '--request-timeout=2s', 'get', '--raw', '/readyz'];
  const [file, ...args] = cluster.internetNetns ? ['ip', 'netns', 'exec', cluster.internetNetns, ...argv] : argv;
  let last = '';
  try {
    await waitUntil(
      `the API answering from ${cluster.internetNetns ?? 'this machine'}`,
      async () => {
        const r = await run(file as string, args, { timeoutMs: TIMEOUTS.apiReachable });
        last = r.output.trim().split('\n').at(-1) ?? '';
        return r.exitCode === 0 && r.output.includes('ok');
      },
      { timeoutMs, intervalMs: POLL.api, successes: 2 },
    );
  } catch {
    throw new SkyprobeError(
      `the cluster's API does not answer from ${cluster.internetNetns ? `the lab's internet host (${cluster.internetNetns})` : 'this machine'}, where the upstream suite runs: ${last || 'no answer'}`,
      { hint: `try it: ${[file, ...args].join(' ')}` },
    );
  }
}

export async function runUpstream(
  p: PreparedSuite,
  o: { cluster: ClusterHandle; dir: string; run: Runner; progress: Progress; only?: string },
): Promise<{ scenarios: ReportScenario[]; summary: ReportUpstreamSuite }> {
  const component = p.pin.name;
  await apiAnswersFromSuiteHost(o.run, componentBinary(p.pins, 'kubectl'), o.cluster);
  let skipped = 0;
  o.progress.info(
    `${component} ${p.pin.version}: ${p.pin.profiles.join(', ')} against ${p.pin.implementation.project} ${p.pin.implementation.version}${o.only ? `, only ${o.only}` : ''}`,
  );
  const r = await runGatewayApiSuite({
    pin: p.pin,
    binary: p.binary,
    kubeconfig: o.cluster.kubeconfig,
    k: clientsFor(o.cluster.kubeconfig),
    netns: o.cluster.internetNetns,
    outDir: o.dir,
    run: o.run,
    only: o.only,
    // A test skipped at once (outside the profiles, a feature not declared, a known failure) shows no line of its
    // own, only the count at the end.
    onTest: ({ started, ended }) => {
      if (started) o.progress.start(component, upstreamId(component, started));
      if (ended?.status === 'skipped') skipped += 1;
      else if (ended)
        o.progress.end(component, upstreamId(component, ended.name), ended.status === 'passed', ended.durationMs);
    },
  });
  const scenarios = upstreamScenarios(p.pin, r, join(o.dir, LOG_FILE));
  const summary = upstreamSummary(p.pin, r, [REPORT_FILE, LOG_FILE]);
  for (const prof of summary.profiles) {
    const lvl = (name: string, l: { result: string; passed: number; failed: number; skipped: number }) =>
      `${name} ${l.result} (${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped)`;
    o.progress.info(
      `${component} ${prof.name}: ${lvl('core', prof.core)}${prof.extended ? `; ${lvl('extended', prof.extended)}` : ''}`,
    );
  }
  o.progress.info(
    `${component}: ${skipped} tests skipped (outside the profiles or features, or known failures), listed in the report`,
  );
  if (summary.problem) o.progress.info(`${component}: ${summary.problem}`);
  return { scenarios, summary };
}
