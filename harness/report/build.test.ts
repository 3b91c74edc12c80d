import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../scenario/define.ts';
import { type ScenarioOutcome, buildReport, renderJunit } from './build.ts';

const run = {
  id: 'r1',
  startedAt: '2026-11-25T00:00:00Z',
  durationMs: 1234,
  routing: ['current' as const, 'target' as const],
  provider: 'embedded',
  gitCommit: 'abc',
};
const result = (status: 'passed' | 'failed', extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id: 'DP-01',
  routing: 'current',
  status,
  durationMs: 50,
  notes: {},
  checks: [
    {
      name: 'http://x answers 200',
      status,
      evidence: { status: status === 'passed' ? 200 : 404 },
      message: status === 'failed' ? 'expected 200, found 404' : undefined,
      durationMs: 5,
    },
  ],
  ...extra,
});
const outcome = (
  id: string,
  routing: 'current' | 'target',
  status: ScenarioOutcome['status'],
  r?: ScenarioResult,
): ScenarioOutcome => ({
  header: { id, title: `title <${id}> & "q"`, area: 'data-path', features: ['Gateway', 'HTTPRoute'] },
  routing,
  status,
  result: r,
});

describe('report.json', () => {
  it("carries why a scenario ran alone and the run's own names of its apps (absent when there are none)", () => {
    const alone = {
      ...outcome('ST-02', 'current', 'passed', result('passed', { id: 'ST-02' })),
      header: { id: 'ST-02', title: 't', area: 'stack' as const, features: [], alone: 'judges every routed host' },
      names: { shop: 'acme-st02c/shop' },
    };
    const rep = buildReport([alone, outcome('DP-01', 'current', 'passed', result('passed'))], run, {});
    const [dp, st] = rep.scenarios;
    expect(st).toMatchObject({ alone: 'judges every routed host', names: { shop: 'acme-st02c/shop' } });
    expect(dp).not.toHaveProperty('alone');
    expect(dp).not.toHaveProperty('names');
  });

  it('counts, sorts and carries every check with its evidence', () => {
    const rep = buildReport(
      [
        outcome(
          'DP-02',
          'target',
          'failed',
          result('failed', { id: 'DP-02', message: 'check "http://x answers 200" failed: expected 200, found 404' }),
        ),
        outcome('DP-01', 'current', 'passed', result('passed')),
        outcome('DP-03', 'current', 'skipped'),
      ],
      run,
      { kubernetes: 'v1.36.3' },
    );
    expect(rep.schema).toBe('skyprobe.report/v1');
    expect(rep.summary).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(rep.scenarios.map((s) => `${s.id}/${s.routing}/${s.status}`)).toEqual([
      'DP-01/current/passed',
      'DP-02/target/failed',
      'DP-03/current/skipped',
    ]);
    expect(rep.scenarios[1]?.checks[0]).toEqual({
      name: 'http://x answers 200',
      status: 'failed',
      evidence: { status: 404 },
      message: 'expected 200, found 404',
    });
    expect(rep.environment.components).toEqual({ kubernetes: 'v1.36.3' });
    expect(rep.environment).not.toHaveProperty('issuance');
  });

  it('records the issuance profile the cluster ran, when the run read it', () => {
    const issuance = { profile: 'fast' as const, summary: 'fast: no self-check' };
    expect(buildReport([], run, {}, issuance).environment).toEqual({ components: {}, issuance });
  });

  it("records the run's layout of HTTPS hosts on the edge", () => {
    expect(buildReport([], run, {}, undefined, 'sharded').environment).toEqual({ components: {}, layout: 'sharded' });
    expect(buildReport([], run, {}).environment).not.toHaveProperty('layout');
  });

  it("carries each scenario's area and features from its header, skipped ones included", () => {
    const rep = buildReport(
      [
        outcome('DP-01', 'current', 'passed', result('passed')),
        {
          header: { id: 'MG-01', title: 'overlay', area: 'management', features: ['SideroLink', 'NAT'] },
          routing: 'current',
          status: 'skipped',
          error: 'needs the management path',
        },
      ],
      run,
      {},
    );
    expect(rep.scenarios.map((s) => [s.id, s.area, s.features])).toEqual([
      ['DP-01', 'data-path', ['Gateway', 'HTTPRoute']],
      ['MG-01', 'management', ['SideroLink', 'NAT']],
    ]);
  });
});

describe('junit.xml', () => {
  it('has one testcase per scenario and routing, failures with their message, evidence as system-out, all escaped', () => {
    const xml = renderJunit(
      buildReport(
        [
          outcome('DP-01', 'current', 'passed', result('passed')),
          outcome(
            'DP-01',
            'target',
            'failed',
            result('failed', { routing: 'target', message: 'check "a<b" failed: x & y' }),
          ),
        ],
        run,
        {},
      ),
    );
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('name="DP-01 [target] title &lt;DP-01&gt; &amp; &quot;q&quot;"');
    expect(xml).toContain('<failure message="check &quot;a&lt;b&quot; failed: x &amp; y">');
    expect(xml).toContain('<system-out>FAIL http://x answers 200 — expected 200, found 404');
    expect(xml).toMatch(/<testsuites name="skyprobe" tests="2" failures="1" skipped="0"/);
    expect(xml).not.toMatch(/<[^>]*<\w/);
  });
});
