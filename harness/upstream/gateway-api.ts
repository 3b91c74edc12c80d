/**
 * The Gateway API conformance suite, run as upstream ships it: the pinned test binary (TestConformance of
 * sigs.k8s.io/gateway-api/conformance, built by setup), under `go tool test2json` so that every test's start, end
 * and output arrive as events, with the profiles and features of the pin file, against the provider's cluster and
 * edge. It stands where a user of the platform stands (the embedded lab's internet host), since it sends its
 * requests to the Gateway's address as the platform reports it. The run folder keeps the suite's own report
 * (gateway-api-report.yaml) and its whole event stream (gateway-api.log).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../converge.ts';
import type { Runner } from '../exec/runner.ts';
import type { Clients } from '../k8s/client.ts';
import type { UpstreamSuitePin } from '../setup/suite-pins.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import { type ConformanceReport, parseConformanceReport } from './conformance-report.ts';
import { GoTestStream, type UpstreamTest } from './go-test-events.ts';

export const REPORT_FILE = 'gateway-api-report.yaml';
export const LOG_FILE = 'gateway-api.log';

export interface GatewayApiRunOptions {
  pin: UpstreamSuitePin;
  /** The built test binary. */
  binary: string;
  kubeconfig: string;
  /** Network namespace to run in (a user on the internet); absent: this machine. */
  netns?: string;
  /** The run folder. */
  outDir: string;
  run: Runner;
  /** The cluster's API, to wait for an earlier run's namespaces to be gone (absent: no wait, in unit tests). */
  k?: Clients;
  /** Only these upstream tests (their short names; the suite's --run-test takes one, so one run each). */
  only?: string;
  /** Called when an upstream test starts and when it ends. */
  onTest?: (e: { started?: string; ended?: UpstreamTest }) => void;
}

export interface GatewayApiRun {
  tests: UpstreamTest[];
  /** The suite function's own record: its set-up and teardown output, and its status. */
  suite: UpstreamTest;
  /** Lines that were not test events (a crash of the binary, an error of test2json). */
  stray: string[];
  /** The suite's ConformanceReport; absent when it wrote none (it stopped before the end). */
  report?: ConformanceReport;
  /** Why the report could not be read, when it exists but is not one. */
  reportError?: string;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  command: string;
}

/** The suite's flags: the pin file's profiles, features and implementation, the report in the run folder. */
export function suiteArgs(pin: UpstreamSuitePin, outDir: string, only?: string): string[] {
  const i = pin.implementation;
  return [
    `-test.run=^${pin.test}$`,
    '-test.v=test2json',
    `-test.timeout=${Math.floor(TIMEOUTS.upstreamSuite / 1000)}s`,
    `-gateway-class=${pin.gatewayClass}`,
    `-conformance-profiles=${pin.profiles.join(',')}`,
    `-supported-features=${pin.supportedFeatures.join(',')}`,
    `-report-output=${join(outDir, REPORT_FILE)}`,
    `-organization=${i.organization}`,
    `-project=${i.project}`,
    `-url=${i.url}`,
    `-version=${i.version}`,
    '-contact=skyprobe',
    // One test asked for runs even when it is a known failure; a whole run skips the known failures.
    ...(only ? [`-run-test=${only}`] : skipArgs(pin)),
  ];
}

function skipArgs(pin: UpstreamSuitePin): string[] {
  const known = Object.keys(pin.knownFailures);
  return known.length > 0 ? [`-skip-tests=${known.join(',')}`] : [];
}

/** The namespaces the suite creates (and deletes at its end): gateway-conformance-infra, -app-backend, ... */
export const SUITE_NAMESPACE_PREFIX = 'gateway-conformance-';

/**
 * A run starts once the namespaces an earlier run deleted are gone: the suite re-creates them at once and the API
 * refuses to create in a namespace that is being terminated ("unable to create new content in namespace
 * gateway-conformance-infra because it is being terminated"). One left Active by a killed run is fine: the suite
 * updates it.
 */
export async function suiteNamespacesGone(k: Clients): Promise<void> {
  await waitUntil(
    `the ${SUITE_NAMESPACE_PREFIX}* namespaces of an earlier run gone`,
    async () => {
      const list = await k.core.listNamespace();
      const terminating = list.items.filter(
        (n) => n.metadata?.name?.startsWith(SUITE_NAMESPACE_PREFIX) && n.status?.phase === 'Terminating',
      );
      return terminating.length === 0;
    },
    { timeoutMs: TIMEOUTS.suiteNamespacesGone, intervalMs: POLL.api },
  );
}

export async function runGatewayApiSuite(o: GatewayApiRunOptions): Promise<GatewayApiRun> {
  if (o.k) await suiteNamespacesGone(o.k);
  const stream = new GoTestStream(o.pin.test);
  const log = join(o.outDir, LOG_FILE);
  writeFileSync(log, '');
  const argv = ['go', 'tool', 'test2json', '-t', '-p', o.pin.name, o.binary, ...suiteArgs(o.pin, o.outDir, o.only)];
  const [file, ...args] = o.netns ? ['ip', 'netns', 'exec', o.netns, ...argv] : argv;
  const res = await o.run(file as string, args, {
    cwd: o.outDir,
    env: { KUBECONFIG: o.kubeconfig, GOTOOLCHAIN: 'local', GOFLAGS: '' },
    logFile: log,
    timeoutMs: TIMEOUTS.upstreamSuite + TIMEOUTS.probeExit,
    onLine: (line) => {
      const e = stream.push(line);
      if (e.started || e.ended) o.onTest?.(e);
    },
  });
  const out: GatewayApiRun = {
    tests: stream.tests(),
    suite: stream.suite,
    stray: stream.stray,
    exitCode: res.exitCode,
    timedOut: res.timedOut,
    durationMs: res.durationMs,
    command: res.command,
  };
  const reportPath = join(o.outDir, REPORT_FILE);
  if (existsSync(reportPath)) {
    try {
      out.report = parseConformanceReport(readFileSync(reportPath, 'utf8'));
    } catch (err) {
      out.reportError = (err as Error).message;
    }
  }
  return out;
}
