import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GoTestStream, OUTPUT_LINES } from './go-test-events.ts';

// Recorded from `skyprobe run --suite gateway-api` on a fresh lab (2026-12-01): the suite's own lines and four
// upstream tests of its event stream (one passed with a subtest, one outside the profile, one known failure, one
// parallel test that paused and was then skipped).
const recorded = readFileSync(new URL('../../fixtures/upstream/gateway-api-events.jsonl', import.meta.url), 'utf8');

const ev = (Action: string, Test?: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Action, Package: 'gateway-api', ...(Test ? { Test } : {}), ...extra });

function fold(lines: string[]) {
  const s = new GoTestStream('TestConformance');
  const events = lines.map((l) => s.push(l));
  return { s, events };
}

describe('GoTestStream (test2json events of the upstream suite)', () => {
  it('folds a recorded stream into one record per upstream test, subtests as steps', () => {
    const { s, events } = fold(recorded.split('\n'));
    const tests = s.tests();
    expect(tests.map((t) => [t.name, t.status])).toEqual(
      expect.arrayContaining([
        ['HTTPRouteSimpleSameNamespace', 'passed'],
        ['MeshHTTPRouteMatching', 'skipped'],
        ['HTTPRouteNoBackendRefs', 'skipped'],
        ['ListenerSetHTTPRouting', 'skipped'],
      ]),
    );
    expect(tests).toHaveLength(4);
    const simple = tests.find((t) => t.name === 'HTTPRouteSimpleSameNamespace');
    expect(simple?.steps.length).toBeGreaterThan(0);
    expect(simple?.steps.every((x) => x.status === 'passed')).toBe(true);
    expect(simple?.output.some((l) => l.includes('203.0.113.10'))).toBe(true);
    // Framing lines are events, not evidence.
    expect(simple?.output.some((l) => /=== RUN|--- PASS/.test(l))).toBe(false);
    // Only the test that really ran is announced; the skipped ones (paused or not) never start.
    expect(events.flatMap((e) => (e.started ? [e.started] : []))).toEqual(['HTTPRouteSimpleSameNamespace']);
    expect(s.suite.status).toBe('passed');
    expect(s.suite.output.some((l) => l.includes('Running conformance tests with'))).toBe(true);
    expect(s.stray).toEqual([]);
  });

  it('keeps a failed test with its output, bounded to the last lines', () => {
    const lines = [ev('run', 'TestConformance'), ev('run', 'TestConformance/HTTPRouteX')];
    for (let i = 0; i < OUTPUT_LINES + 5; i++)
      lines.push(ev('output', 'TestConformance/HTTPRouteX', { Output: `    http.go:1: line ${i}\n` }));
    lines.push(ev('run', 'TestConformance/HTTPRouteX/0_request'));
    lines.push(ev('fail', 'TestConformance/HTTPRouteX/0_request', { Elapsed: 30 }));
    lines.push(ev('fail', 'TestConformance/HTTPRouteX', { Elapsed: 30.5 }));
    const { s, events } = fold(lines);
    const [t] = s.tests();
    expect(t).toMatchObject({ name: 'HTTPRouteX', status: 'failed', durationMs: 30_500, outputLeftOut: 5 });
    expect(t?.output).toHaveLength(OUTPUT_LINES);
    expect(t?.output.at(-1)).toContain(`line ${OUTPUT_LINES + 4}`);
    expect(t?.steps).toEqual([{ name: '0_request', status: 'failed' }]);
    expect(events.filter((e) => e.started)).toHaveLength(1);
    expect(events.at(-1)?.ended?.name).toBe('HTTPRouteX');
  });

  it("cuts a long line in the middle, keeping the request it names and the suite's verdict at its end", () => {
    const long = `    http.go:325: Response expectation failed for request: {URL: ${'x'.repeat(600)}}  not ready yet: expected status code to be one of [500], got 200`;
    const { s } = fold([
      ev('run', 'TestConformance/HTTPRouteNoBackendRefs'),
      ev('output', 'TestConformance/HTTPRouteNoBackendRefs', { Output: `${long}\n` }),
      ev('fail', 'TestConformance/HTTPRouteNoBackendRefs'),
    ]);
    const [line] = s.tests()[0]?.output ?? [];
    expect(line?.length).toBeLessThan(long.length);
    expect(line).toMatch(/^    http\.go:325: Response expectation failed for request/);
    expect(line).toMatch(/ … x+\}  not ready yet: expected status code to be one of \[500\], got 200$/);
  });

  it('reports a test the suite stopped inside as failed, and keeps lines that are no events', () => {
    const { s } = fold([
      ev('run', 'TestConformance'),
      ev('run', 'TestConformance/GatewayY'),
      ev('output', 'TestConformance/GatewayY', { Output: '    helpers.go:1: waiting\n' }),
      'panic: test timed out after 40m0s',
      ev('output', 'TestOther', { Output: 'not ours\n' }),
    ]);
    expect(s.tests()).toEqual([expect.objectContaining({ name: 'GatewayY', status: 'failed' })]);
    expect(s.stray).toEqual(['panic: test timed out after 40m0s']);
  });

  it('counts a test that ends without a line of output as started when it ends', () => {
    const { events } = fold([ev('run', 'TestConformance/Quiet'), ev('pass', 'TestConformance/Quiet', { Elapsed: 1 })]);
    expect(events.at(-1)).toMatchObject({ started: 'Quiet', ended: { name: 'Quiet', status: 'passed' } });
  });
});
