import { describe, expect, it } from 'vitest';
import type { ReportHost } from '../scenario/report-host.ts';
import { historyEntry, upsertHistory, type HistoryRun } from './history.ts';
import { renderHtml, timelineSvg } from './html.ts';
import { type FixtureScenario, fixtureReport } from './report-fixtures.ts';
import { signoffOf } from './signoff.ts';

const at = (i: number) =>
  `2026-12-01T${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`;

describe('index.html: the banner and the sign-off summary', () => {
  const r = fixtureReport('r1', [
    { id: 'DNS-01', label: 'current', status: 'passed' },
    { id: 'DNS-02', label: 'current', status: 'failed', failedCheck: 'user zone CNAME resolves' },
    { id: 'DP-01', label: 'current', status: 'failed' },
    { id: 'DP-01', label: 'target', status: 'passed' },
  ]);
  const html = renderHtml({ ...r, signoff: signoffOf(r, 'alice@lab1') }, { sha256: 'a'.repeat(64) });

  it('names each failed scenario and its failing check, linked to that check', () => {
    const banner = html.slice(html.indexOf('id="verdict"'), html.indexOf('</div>', html.indexOf('id="verdict"')));
    expect(banner).toContain(
      '<li><a href="#DNS-02-current">DNS-02 [current]</a> title of DNS-02: check <a href="#DNS-02-current-check-1">“user zone CNAME resolves”</a> — expected NOERROR</li>',
    );
    expect(banner).toContain('<a href="#DP-01-current-check-1">“DP-01 second check”</a>');
    expect(banner).not.toContain('DNS-01');
    // The link's target exists: the failed check, with its evidence.
    expect(html).toMatch(/<li class="check failed" id="DNS-02-current-check-1">.*?<pre>/s);
  });

  it('has the sign-off summary with who, commit, every component and the sha256', () => {
    const so = html.slice(html.indexOf('id="signoff"'), html.indexOf('</table>', html.indexOf('id="signoff"')));
    expect(so).toContain(`data-sha256="${'a'.repeat(64)}"`);
    for (const text of ['alice@lab1', 'abc123', 'embedded', 'traefik v3.6.12, coredns v1.14.7', 'badge failed'])
      expect(so).toContain(text);
  });

  it('puts failed scenarios first in the current-vs-target matrix', () => {
    const matrix = html.slice(html.indexOf('<h2>Current vs target routing'));
    expect(matrix.indexOf('<tr><td>DNS-02</td>')).toBeLessThan(matrix.indexOf('<tr><td>DNS-01</td>'));
    expect(matrix.indexOf('<tr><td>DP-01</td>')).toBeLessThan(matrix.indexOf('<tr><td>DNS-01</td>'));
  });

  it('draws no empty timeline rows: hosts without a timeline are left out, with why', () => {
    const host = (name: string, timeline: ReportHost['timeline']) =>
      ({ host: name, routing: 'current', facts: {}, workload: { status: 'ready' }, timeline }) as unknown as ReportHost;
    const svg = timelineSvg([
      host('a.satusky.com', { routeAccepted: '2026-12-01T10:00:00Z', httpsOk: '2026-12-01T10:00:09Z' }),
      ...Array.from({ length: 8 }, (_, i) => host(`x${i}.satusky.com`, {})),
      host('b.satusky.com', { dnsResolved: '2026-12-01T10:00:01Z' }),
    ]);
    expect(svg.match(/<line /g)).toHaveLength(2);
    expect(svg).not.toContain('x0.satusky.com');
    expect(svg).toContain('8 of 10 hosts left out');
  });
});

describe('index.html: retries, history strips and flaky marks', () => {
  it('shows a retried scenario as flaky with each earlier attempt and its evidence', () => {
    const r = fixtureReport('r1', [
      { id: 'DNS-01', label: 'current', status: 'passed', flaky: 'passed on attempt 2 after 1 failed' },
    ]);
    const s = r.scenarios[0];
    if (!s) throw new Error('fixture');
    s.attempts = [
      {
        attempt: 1,
        status: 'failed',
        durationMs: 10,
        checks: [{ name: 'hook', status: 'failed', evidence: { n: 1 } }],
        failedCheck: 'hook',
        message: 'failed once',
      },
    ];
    r.summary = { passed: 0, failed: 0, skipped: 0, flaky: 1 };
    const html = renderHtml(r);
    expect(html).toContain('<span id="count-flaky">1</span> flaky');
    expect(html).toContain('data-flaky="true"');
    expect(html).toContain('<span class="badge flaky" title="passed on attempt 2 after 1 failed">flaky</span>');
    expect(html).toMatch(
      /<details class="attempt"><summary>attempt 1: failed at “hook” \(0\.0 s\)<\/summary><p class="why">failed once<\/p>.*?&quot;n&quot;: 1/s,
    );
    expect(html).toContain(
      '<ul id="flaky"><li><a href="#DNS-01-current">DNS-01 [current]</a> flaky: passed on attempt 2',
    );
  });

  const history = (n: number, flakyAt?: number): { runs: HistoryRun[]; last: ReturnType<typeof fixtureReport> } => {
    let runs: HistoryRun[] = [];
    let last = fixtureReport('r0', []);
    for (let i = 0; i < n; i++) {
      const scenarios: FixtureScenario[] = [
        { id: 'DNS-01', label: 'current', status: i === flakyAt ? 'failed' : 'passed', ms: 1000 + i * 10 },
        { id: 'DNS-02', label: 'current', status: 'passed' },
        ...Array.from({ length: 34 }, (_, k) => ({
          id: `X-${String(k).padStart(2, '0')}`,
          label: 'current',
          status: 'passed' as const,
        })),
      ];
      last = fixtureReport(`r${i}`, scenarios, { startedAt: at(i) });
      runs = upsertHistory(runs, historyEntry(last, 'f'.repeat(64), `/r/r${i}`));
    }
    return { runs, last };
  };

  it('draws each scenario strip of the last K runs and marks the one whose verdict changed as flaky', () => {
    const { runs, last } = history(6, 3);
    const html = renderHtml(last, { history: runs });
    const row = (a: string) =>
      html.slice(html.indexOf(`data-history="${a}"`), html.indexOf('</tr>', html.indexOf(`data-history="${a}"`)));
    expect(row('DNS-01-current').match(/class="cell /g)).toHaveLength(6);
    expect(row('DNS-01-current')).toContain('class="cell f"');
    expect(row('DNS-01-current')).toContain('badge flaky');
    expect(row('DNS-01-current')).toContain('failed in run r3, passed in run r4');
    expect(row('DNS-02-current')).not.toContain('flaky');
    expect(html).toContain('<svg class="trend"');
    // The flaky scenario heads the history table, and its section carries the mark.
    expect(html.indexOf('data-history="DNS-01-current"')).toBeLessThan(html.indexOf('data-history="DNS-02-current"'));
    expect(html).toMatch(/<section class="scenario passed" id="DNS-01-current"[^>]*data-flaky="true"/);
  });

  it('stays small and fast with 100 past runs', () => {
    const { runs, last } = history(100, 50);
    const t0 = performance.now();
    const html = renderHtml(last, { history: runs });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(500);
    // 36 scenarios x 10 cells, one trend bar per run: well under the page's evidence.
    expect(html.length).toBeLessThan(200_000);
    expect(html).toContain('100 runs up to this one');
    // The change at r50 is older than the last K runs: not flaky any more.
    expect(html).not.toContain('data-flaky="true"');
  });

  it('without a history says how to get one', () => {
    expect(renderHtml(fixtureReport('r1', []))).toContain('No history for this run (skyprobe run --history DIR');
  });
});
