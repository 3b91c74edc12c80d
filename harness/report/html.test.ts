import { describe, expect, it } from 'vitest';
import type { Report } from './schema.ts';
import { FEATURES } from '../scenario/features.ts';
import { EVIDENCE_LIMIT, cutEvidence, esc, renderHtml, selectionText, timelineSvg } from './html.ts';

const base = (over: Partial<Report> = {}): Report => ({
  schema: 'skyprobe.report/v1',
  run: {
    id: 'r1',
    startedAt: '2026-11-25T00:00:00Z',
    durationMs: 9000,
    routing: ['current', 'target'],
    provider: 'embedded',
    gitCommit: 'abc123',
  },
  environment: { components: { kubernetes: 'v1.36.3', traefik: 'v3.6.12' } },
  summary: { passed: 1, failed: 1, skipped: 1 },
  scenarios: [
    {
      id: 'DP-01',
      title: 'generated host',
      area: 'data-path',
      features: ['Gateway', 'HTTPRoute'],
      routing: 'current',
      status: 'passed',
      durationMs: 1000,
      checks: [{ name: 'answers 200', status: 'passed', evidence: { status: 200 } }],
    },
    {
      id: 'TLS-02',
      title: 'custom certs',
      area: 'tls',
      features: ['CertManager', 'HTTPRoute'],
      routing: 'target',
      status: 'failed',
      durationMs: 2000,
      message: 'check "cert Ready" failed: pending',
      checks: [{ name: 'cert Ready', status: 'failed', evidence: { reason: 'pending' }, message: 'Ready=False' }],
    },
    {
      id: 'DNS-02',
      title: 'user zone',
      area: 'dns',
      features: ['UserZone'],
      routing: 'current',
      status: 'skipped',
      durationMs: 0,
      checks: [],
    },
  ],
  hosts: [
    {
      host: 'news-late.satusky.com',
      routing: 'current',
      facts: {
        metadata: { status: 'pass' },
        routing: { status: 'pass' },
        dns: { status: 'pass' },
        tls: { status: 'pending' },
      },
      workload: { status: 'ready' },
      timeline: {
        routeAccepted: '2026-11-25T00:00:01Z',
        dnsResolved: '2026-11-25T00:00:02Z',
        certReady: '2026-11-25T00:00:10Z',
        httpsOk: '2026-11-25T00:00:11Z',
      },
    },
  ],
  ...over,
});

describe('index.html', () => {
  it("shows a scenario run's own app names and why it ran alone", () => {
    const r = base();
    r.scenarios[0] = { ...r.scenarios[0]!, names: { shop: 'acme-dp01c/shop' }, alone: 'judges <every> route' };
    const html = renderHtml(r);
    expect(html).toContain('apps: <code>acme-dp01c/shop</code> (shop)');
    expect(html).toContain('ran alone: judges &lt;every&gt; route');
  });

  it('is one self-contained page: no external reference, inline style and script, a CSP forbidding requests', () => {
    const html = renderHtml(base());
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
  });

  it('shows the verdict and counts, failures first, with an anchor per scenario', () => {
    const html = renderHtml(base());
    expect(html).toContain('<strong>FAILED</strong>');
    expect(html).toMatch(/id="count-passed">1<.*id="count-failed">1<.*id="count-skipped">1</s);
    expect(html.indexOf('id="TLS-02-target"')).toBeLessThan(html.indexOf('id="DP-01-current"'));
    expect(html).toContain('<a href="#DNS-02-current">');
    expect(renderHtml(base({ summary: { passed: 3, failed: 0, skipped: 0 } }))).toContain('<strong>PASSED</strong>');
  });

  it("says which selection ran: every scenario, suites, scenarios, or an earlier run's failures", () => {
    expect(renderHtml(base())).toContain('<p id="selection">Ran: every scenario.</p>');
    expect(selectionText({ by: 'all' })).toBe('every scenario');
    expect(selectionText({ by: 'suite', suites: ['tls', 'dns'] })).toBe('suites tls, dns (--suite)');
    const one = { by: 'scenario' as const, scenarios: ['TLS-04'], runs: ['TLS-04 [current]', 'TLS-04 [target]'] };
    expect(selectionText(one)).toBe('TLS-04 [current], TLS-04 [target] (--scenario TLS-04)');
    const failed = {
      by: 'failed-from' as const,
      failedFrom: { dir: '/r/20261201-x', runId: '20261201-x' },
      runs: ['TLS-04 [current]'],
    };
    expect(selectionText(failed)).toBe(
      'TLS-04 [current]: the failures of run 20261201-x (--failed-from /r/20261201-x)',
    );
    const html = renderHtml(base({ run: { ...base().run, selection: one } }));
    expect(html).toContain('<p id="selection">Ran: TLS-04 [current], TLS-04 [target] (--scenario TLS-04).</p>');
    expect(html).toContain('<tr><td>selection</td><td>TLS-04 [current], TLS-04 [target] (--scenario TLS-04)</td></tr>');
  });

  it('has the host facts matrix with pending, the parity matrix and a timeline', () => {
    const html = renderHtml(base());
    expect(html).toContain('<td class="fact pending">pending</td>');
    expect(html).toMatch(/<tr><td>TLS-02<\/td><td class="muted">—<\/td><td class="fact failed">/);
    expect(html).toContain('<svg class="timeline"');
    expect(timelineSvg([])).toContain('No convergence timeline');
  });

  it("shows each scenario's features with their meaning, counts by feature, and a feature filter", () => {
    const html = renderHtml(base());
    const section = (id: string) =>
      html.slice(html.indexOf(`id="${id}"`), html.indexOf('</section>', html.indexOf(`id="${id}"`)));
    expect(html).toContain('data-features="Gateway HTTPRoute"');
    expect(section('DP-01-current')).toContain(
      `<button type="button" class="feature" data-feature="HTTPRoute" title="${esc(FEATURES.HTTPRoute)}">HTTPRoute</button>`,
    );
    expect(section('TLS-02-target')).toContain('data-feature="CertManager"');
    expect(section('TLS-02-target')).not.toContain('data-feature="Gateway"');
    // HTTPRoute: DP-01 passed, TLS-02 failed.
    expect(html).toMatch(
      /<tr data-feature-row="HTTPRoute">.*?<td class="num" data-count="passed">1<\/td><td class="num" data-count="failed">1<\/td><td class="num" data-count="skipped">0<\/td><\/tr>/,
    );
    expect(html).toContain('<option value="HTTPRoute">HTTPRoute (2)</option>');
    expect(html).toContain('<option value="UserZone">UserZone (1)</option>');
    // A report.json from before headers carried features still renders, without chips.
    const old = base();
    for (const s of old.scenarios) delete (s as { features?: string[] }).features;
    expect(renderHtml(old)).toContain('No features in this run.');
  });

  it('shows the endpoint beside the four facts, with its summary and remedy; an older report without it shows —', () => {
    const r = base();
    (r.hosts[0] as Report['hosts'][number]).endpoint = {
      status: 'fail',
      summary: 'https://news-late.satusky.com: the edge answers 502 itself: no reachable backend (502)',
      remediation: "check the Service's spec.ports[].targetPort",
    };
    const html = renderHtml(r);
    expect(html).toContain('<th>TLS</th><th>endpoint</th><th>workload</th>');
    expect(html).toContain(
      '<td class="fact fail" title="https://news-late.satusky.com: the edge answers 502 itself: no reachable backend (502)\nfix: check the Service&#39;s spec.ports[].targetPort">fail</td>',
    );
    expect(renderHtml(base())).toMatch(
      /<td class="fact pending">pending<\/td><td class="muted">—<\/td><td>ready<\/td>/,
    );
  });

  it('names the issuance profile that ran in the header and the environment; a report without one shows none', () => {
    const summary = 'faithful: the self-check passes first';
    const html = renderHtml(base({ environment: { components: {}, issuance: { profile: 'faithful', summary } } }));
    expect(html).toContain('issuance profile <strong id="issuance-profile">faithful</strong>');
    expect(html).toContain(`<td id="issuance">${summary}</td>`);
    expect(renderHtml(base())).not.toContain('issuance');
  });

  it('escapes odd characters in evidence, names and messages', () => {
    const evil = base();
    (evil.scenarios[0] as { checks: unknown[] }).checks = [
      {
        name: '<img src=x onerror=alert(1)>',
        status: 'passed',
        evidence: { body: '</pre><script>alert(2)</script>&"\'' },
        message: '<b>',
      },
    ];
    const html = renderHtml(evil);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;');
  });

  it('cuts huge evidence with a note of what was cut, so a run stays small', () => {
    const huge = { log: 'x'.repeat(500_000) };
    const cut = cutEvidence(huge);
    expect(cut.length).toBeLessThan(EVIDENCE_LIMIT + 200);
    expect(cut).toMatch(/… cut: \d+ more characters \(full text in report.json\)/);
    const r = base();
    (r.scenarios[1] as { checks: { evidence: unknown }[] }).checks[0] = {
      name: 'log',
      status: 'failed',
      evidence: huge,
    } as never;
    expect(renderHtml(r).length).toBeLessThan(60_000);
  });
});
