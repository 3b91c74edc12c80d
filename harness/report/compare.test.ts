import { describe, expect, it } from 'vitest';
import { renderCompareHtml } from './compare-html.ts';
import { compareExitCode, compareReports, renderCompareText } from './compare.ts';
import { fixtureReport } from './report-fixtures.ts';
import type { ReportHost } from '../scenario/report-host.ts';

const host = (dns: string): ReportHost =>
  ({
    host: 'app.satusky.com',
    routing: 'current',
    facts: {
      metadata: { status: 'pass' },
      routing: { status: 'pass' },
      dns: { status: dns },
      tls: { status: 'pass' },
    },
    workload: { status: 'ready' },
    timeline: {},
  }) as unknown as ReportHost;

const base = fixtureReport(
  'base',
  [
    { id: 'DNS-01', label: 'current', status: 'passed', ms: 2000 },
    { id: 'DNS-02', label: 'current', status: 'passed', ms: 2000 },
    { id: 'DP-01', label: 'current', status: 'failed' },
    { id: 'DP-02', label: 'current', status: 'failed' },
    { id: 'TLS-01', label: 'current', status: 'passed' },
    { id: 'OLD-01', label: 'current', status: 'passed' },
    { id: 'GWAPI-HTTPRouteSimple', label: 'suite:gateway-api', status: 'passed' },
  ],
  { commit: 'c1', components: { traefik: 'v3.6.12', coredns: 'v1.14.7', pebble: '2.3' }, hosts: [host('pass')] },
);
const head = fixtureReport(
  'head',
  [
    { id: 'DNS-01', label: 'current', status: 'failed', failedCheck: 'user CNAME resolves' },
    { id: 'DNS-02', label: 'current', status: 'passed', ms: 9000 },
    { id: 'DP-01', label: 'current', status: 'passed' },
    { id: 'DP-02', label: 'current', status: 'failed' },
    { id: 'TLS-01', label: 'current', status: 'skipped' },
    { id: 'NEW-01', label: 'current', status: 'failed' },
    // Same id, other run label: a different scenario run.
    { id: 'GWAPI-HTTPRouteSimple', label: 'suite:gateway-api', status: 'passed', ms: 2100 },
  ],
  { commit: 'c2', components: { traefik: 'v3.6.13', coredns: 'v1.14.7', haproxy: '3.0' }, hosts: [host('fail')] },
);

describe('compareReports', () => {
  const c = compareReports(base, head);
  const keys = (l: { id: string; label: string }[]) => l.map((e) => `${e.id} [${e.label}]`);

  it('sorts every scenario into new failures, fixed, still failing, newly skipped, added and removed', () => {
    expect(keys(c.newFailures)).toEqual(['DNS-01 [current]', 'NEW-01 [current]']);
    expect(c.newFailures[0]).toMatchObject({ base: 'passed', head: 'failed', failedCheck: 'user CNAME resolves' });
    expect(keys(c.fixed)).toEqual(['DP-01 [current]']);
    expect(c.fixed[0]?.failedCheck).toBe('DP-01 second check');
    expect(keys(c.stillFailing)).toEqual(['DP-02 [current]']);
    expect(keys(c.newlySkipped)).toEqual(['TLS-01 [current]']);
    expect(keys(c.added)).toEqual(['NEW-01 [current]']);
    expect(keys(c.removed)).toEqual(['OLD-01 [current]']);
    expect(compareExitCode(c)).toBe(1);
  });

  it('reports durations beyond the threshold only, and components and host facts that changed', () => {
    expect(c.durations).toEqual([{ id: 'DNS-02', label: 'current', baseMs: 2000, headMs: 9000 }]);
    expect(c.components).toEqual([
      { name: 'haproxy', base: undefined, head: '3.0' },
      { name: 'pebble', base: '2.3', head: undefined },
      { name: 'traefik', base: 'v3.6.12', head: 'v3.6.13' },
    ]);
    expect(c.hosts).toEqual([{ host: 'app.satusky.com', routing: 'current', fact: 'dns', base: 'pass', head: 'fail' }]);
  });

  it('the other way round: what broke is fixed, exit 0', () => {
    const r = compareReports(head, base);
    expect(keys(r.fixed)).toEqual(['DNS-01 [current]']);
    expect(keys(r.newFailures)).toEqual(['DP-01 [current]']);
    const onlyDns = compareReports(
      fixtureReport('b', [{ id: 'DNS-01', label: 'current', status: 'failed' }]),
      fixtureReport('h', [{ id: 'DNS-01', label: 'current', status: 'passed' }]),
    );
    expect(compareExitCode(onlyDns)).toBe(0);
    expect(keys(onlyDns.fixed)).toEqual(['DNS-01 [current]']);
  });

  it('a run compared with itself has nothing to say', () => {
    const same = compareReports(base, base);
    expect(same.newFailures.length + same.fixed.length + same.added.length + same.durations.length).toBe(0);
    expect(keys(same.stillFailing)).toEqual(['DP-01 [current]', 'DP-02 [current]']);
    expect(compareExitCode(same)).toBe(0);
  });

  it('renders text and a self-contained page naming each new failure', () => {
    const text = renderCompareText(c);
    expect(text).toContain('new failures (2)\n  DNS-01 [current]  passed -> failed  check "user CNAME resolves"');
    expect(text).toContain('traefik  v3.6.12 -> v3.6.13');
    expect(text).toMatch(/2 new failures, 1 fixed, 1 still failing, 1 newly skipped, 1 added, 1 removed\n$/);
    const html = renderCompareHtml(c);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).toContain('<h2 id="new-failures">New failures (2)</h2>');
    expect(html).toContain('user CNAME resolves');
  });
});
