import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPinFile } from '../setup/components.ts';
import { parseConformanceReport } from '../upstream/conformance-report.ts';
import type { GatewayApiRun } from '../upstream/gateway-api.ts';
import { GoTestStream } from '../upstream/go-test-events.ts';
import { addUpstream, buildReport, renderJunit } from './build.ts';
import { renderHtml } from './html.ts';
import { upstreamScenarios, upstreamSummary } from './upstream.ts';

const pin = loadPinFile(new URL('../../fixtures/components.yaml', import.meta.url).pathname).suites['gateway-api'];
if (!pin) throw new Error('the pin file has no gateway-api suite');
// A recorded run of the suite on a fresh lab (harness/upstream/go-test-events.test.ts says what it holds).
const events = readFileSync(new URL('../../fixtures/upstream/gateway-api-events.jsonl', import.meta.url), 'utf8');
const yaml = readFileSync(new URL('../../fixtures/upstream/gateway-api-report.yaml', import.meta.url), 'utf8');

function recordedRun(over: Partial<GatewayApiRun> = {}): GatewayApiRun {
  const s = new GoTestStream('TestConformance');
  for (const l of events.split('\n')) s.push(l);
  return {
    tests: s.tests(),
    suite: s.suite,
    stray: s.stray,
    report: parseConformanceReport(yaml),
    exitCode: 0,
    timedOut: false,
    durationMs: 67_000,
    command: 'go tool test2json ...',
    ...over,
  };
}
const runInfo = { id: 'r', startedAt: 'now', durationMs: 1, routing: [], provider: 'embedded', gitCommit: 'abc' };

describe("an upstream suite in skyprobe's report", () => {
  it('makes each upstream test one entry: GWAPI-<name>, area gateway-api, no routing, subtests as checks', () => {
    const entries = upstreamScenarios(pin, recordedRun(), '/run/gateway-api.log');
    expect(entries).toHaveLength(4);
    const simple = entries.find((e) => e.id === 'GWAPI-HTTPRouteSimpleSameNamespace');
    expect(simple).toMatchObject({ area: 'gateway-api', suite: 'gateway-api', status: 'passed', features: [] });
    expect(simple?.routing).toBeUndefined();
    expect(simple?.checks.length).toBeGreaterThan(0);
    expect((simple?.notes?.log as string[]).length).toBeGreaterThan(0);
    // A known failure says so, with the pin file's reason; any other skip gives the suite's own line.
    expect(entries.find((e) => e.id === 'GWAPI-HTTPRouteNoBackendRefs')?.message).toMatch(
      /^known traefik v3\.6\.12 failure \(pin file\): a rule without backendRefs/,
    );
    expect(entries.find((e) => e.id === 'GWAPI-MeshHTTPRouteMatching')?.message).toContain(
      'Skipping MeshHTTPRouteMatching: suite does not support Mesh',
    );
  });

  it('adds a failed entry of its own when the suite did not complete, so the run cannot look green', () => {
    for (const [over, problem] of [
      [{ report: undefined, exitCode: 2 }, 'it wrote no report (exit 2)'],
      [{ timedOut: true }, 'the suite did not finish within its bound'],
      [{ exitCode: 1 }, 'it exited 1 with no failed test'],
      [{ report: undefined, reportError: 'not a ConformanceReport (kind: x)' }, 'its report could not be read'],
    ] as const) {
      const entries = upstreamScenarios(pin, recordedRun(over), '/l');
      expect(entries.at(-1)).toMatchObject({ id: 'GWAPI-Suite', status: 'failed' });
      expect(entries.at(-1)?.message).toContain(problem);
      expect(upstreamSummary(pin, recordedRun(over), []).problem).toContain(problem);
    }
    expect(upstreamScenarios(pin, recordedRun(), '/l').some((e) => e.id === 'GWAPI-Suite')).toBe(false);
  });

  it("names the suite's own error when its set-up failed (seen: a namespace still terminating from the run before)", () => {
    const r = recordedRun({
      tests: [],
      exitCode: 1,
      report: { gatewayAPIVersion: 'v1.6.3', gatewayAPIChannel: 'standard', implementation: {}, profiles: [] },
    });
    r.suite.output = [
      '    suite.go:395: Test Setup: Applying base manifests',
      '        \tError:      \tReceived unexpected error:',
      '        \t            \tgateways.gateway.networking.k8s.io "same-namespace" is forbidden: unable to create new content in namespace gateway-conformance-infra because it is being terminated',
      '        \tMessages:   \terror creating resource',
    ];
    expect(upstreamSummary(pin, r, []).problem).toBe(
      'it stopped before its tests (exit 1): gateways.gateway.networking.k8s.io "same-namespace" is forbidden: unable to create new content in namespace gateway-conformance-infra because it is being terminated',
    );
  });

  it('folds into report.json, junit.xml and index.html with the counts made again', () => {
    const r = recordedRun();
    const report = addUpstream(
      buildReport([], runInfo, {}),
      upstreamScenarios(pin, r, '/l'),
      upstreamSummary(pin, r, ['gateway-api-report.yaml', 'gateway-api.log']),
    );
    expect(report.summary).toEqual({ passed: 1, failed: 0, skipped: 3 });
    expect(report.upstream?.[0]?.profiles[0]?.core).toEqual({ result: 'partial', passed: 33, failed: 0, skipped: 3 });
    const junit = renderJunit(report);
    expect(junit).toContain('<testsuite name="gateway-api" tests="4" failures="0" skipped="3"');
    expect(junit).toContain('name="GWAPI-HTTPRouteSimpleSameNamespace [gateway-api] HTTPRouteSimpleSameNamespace"');
    const html = renderHtml(report);
    expect(html).toContain('<h2>Upstream suites</h2>');
    expect(html).toContain('partial: 33 passed, 0 failed, 3 skipped');
    expect(html).toContain('id="GWAPI-HTTPRouteSimpleSameNamespace-gateway-api"');
    expect(html).toContain('gateway-api v1.6.3 against traefik v3.6.12');
    expect(html).not.toContain(' in  routing');
  });
});
