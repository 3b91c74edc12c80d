/**
 * An upstream suite's run in skyprobe's report: each upstream test one scenario (id GWAPI-<ShortName>, area
 * gateway-api, no routing mode), its subtests as checks and its log lines as notes; the suite's own
 * ConformanceReport as the run's `upstream` summary. A suite that stopped early, or left no report, says so in a
 * failed entry of its own: a run never looks complete when the suite was not.
 */
import type { UpstreamTest } from '../upstream/go-test-events.ts';
import type { GatewayApiRun } from '../upstream/gateway-api.ts';
import type { UpstreamSuitePin } from '../setup/suite-pins.ts';
import type { ReportScenario, ReportUpstreamSuite } from './schema.ts';

export const UPSTREAM_PREFIX: Record<string, string> = { 'gateway-api': 'GWAPI' };

export const upstreamId = (suite: string, test: string) => `${UPSTREAM_PREFIX[suite] ?? suite.toUpperCase()}-${test}`;

/** The line that says why a test failed or was skipped: the last one that names an error, else its last line. */
function why(t: UpstreamTest): string | undefined {
  const lines = t.output.map((l) => l.trim());
  if (t.status === 'skipped') return lines.find((l) => /skip/i.test(l)) ?? lines.at(-1);
  if (t.status === 'failed')
    return lines.findLast((l) => /error|fail|expected|timed out|not ready/i.test(l)) ?? lines.at(-1);
  return undefined;
}

function entry(pin: UpstreamSuitePin, t: UpstreamTest, logFile: string): ReportScenario {
  return {
    id: upstreamId(pin.name, t.name),
    title: t.name,
    area: pin.name,
    features: [],
    suite: pin.name,
    status: t.status,
    durationMs: t.durationMs,
    checks: t.steps
      .filter((s) => s.status !== 'skipped')
      .map((s) => ({ name: s.name, status: s.status === 'passed' ? 'passed' : 'failed', evidence: null })),
    message:
      t.status === 'skipped' && pin.knownFailures[t.name]
        ? `known ${pin.implementation.project} ${pin.implementation.version} failure (pin file): ${pin.knownFailures[t.name]}`
        : why(t),
    notes: {
      upstream: `${pin.name} ${pin.version}: ${pin.test}/${t.name}`,
      log: t.output,
      ...(t.outputLeftOut > 0 ? { logLeftOut: `${t.outputLeftOut} earlier lines; the whole stream: ${logFile}` } : {}),
    },
  };
}

/**
 * The suite's own error, from its output: the line after testify's "Received unexpected error:", else the last
 * line that names an error, else its last line.
 */
export function suiteError(r: Pick<GatewayApiRun, 'suite' | 'stray'>): string | undefined {
  const lines = [...r.suite.output, ...r.stray].map((l) => l.replace(/^\s*(Error:)?\s*/, '').trim()).filter(Boolean);
  const at = lines.findIndex((l) => l.startsWith('Received unexpected error:'));
  if (at >= 0 && lines[at + 1]) return lines[at + 1];
  return lines.findLast((l) => /error|panic|fail/i.test(l)) ?? lines.at(-1);
}

/** The suite's problem, when its result is not complete: no report, a crash, a timeout, a failed set-up. */
export function suiteProblem(r: GatewayApiRun): string | undefined {
  const because = () => {
    const e = suiteError(r);
    return e ? `: ${e}` : '';
  };
  if (r.timedOut) return `the suite did not finish within its bound (${Math.round(r.durationMs / 1000)} s)`;
  if (r.reportError) return `its report could not be read: ${r.reportError}`;
  if (!r.report) return `it wrote no report (exit ${r.exitCode})${because()}`;
  if (r.report.profiles.length === 0) return `it stopped before its tests (exit ${r.exitCode})${because()}`;
  const failedTests = r.tests.some((t) => t.status === 'failed');
  if (r.exitCode !== 0 && !failedTests) return `it exited ${r.exitCode} with no failed test${because()}`;
  return undefined;
}

export function upstreamScenarios(pin: UpstreamSuitePin, r: GatewayApiRun, logFile: string): ReportScenario[] {
  const out = r.tests.map((t) => entry(pin, t, logFile));
  const problem = suiteProblem(r);
  if (problem)
    out.push({
      id: upstreamId(pin.name, 'Suite'),
      title: `${pin.name} ${pin.version} as a whole`,
      area: pin.name,
      features: [],
      suite: pin.name,
      status: 'failed',
      durationMs: r.durationMs,
      checks: [],
      message: problem,
      notes: { command: r.command, log: [...r.suite.output, ...r.stray] },
    });
  return out;
}

export function upstreamSummary(pin: UpstreamSuitePin, r: GatewayApiRun, files: string[]): ReportUpstreamSuite {
  const count = ({
    result,
    passed,
    failed,
    skipped,
  }: {
    result: string;
    passed: number;
    failed: number;
    skipped: number;
  }) => ({
    result,
    passed,
    failed,
    skipped,
  });
  const problem = suiteProblem(r);
  return {
    name: pin.name,
    version: pin.version,
    implementation: `${pin.implementation.project} ${pin.implementation.version}`,
    durationMs: r.durationMs,
    exitCode: r.exitCode,
    profiles: (r.report?.profiles ?? []).map((p) => ({
      name: p.name,
      summary: p.summary,
      core: count(p.core),
      ...(p.extended ? { extended: { ...count(p.extended), supportedFeatures: p.extended.supportedFeatures } } : {}),
    })),
    files,
    ...(problem ? { problem } : {}),
  };
}
