import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { fixtureReport } from './report-fixtures.ts';
import { htmlSha, sha256, shaLine, signoffOf, verifyChecks } from './signoff.ts';

const report = fixtureReport('r1', [
  { id: 'DNS-01', label: 'current', status: 'passed' },
  { id: 'DNS-02', label: 'current', status: 'failed' },
]);

describe('sign-off summary', () => {
  it('says the verdict, commit, provider, routing, components, who and when', () => {
    expect(signoffOf(report, 'alice@lab1')).toEqual({
      verdict: 'failed',
      commit: 'abc123',
      provider: 'embedded',
      routing: ['current'],
      components: { traefik: 'v3.6.12', coredns: 'v1.14.7' },
      ranBy: 'alice@lab1',
      startedAt: '2026-12-01T10:00:00.000Z',
      endedAt: '2026-12-01T10:00:30.000Z',
      counts: { passed: 1, failed: 1, skipped: 0, flaky: 0 },
    });
  });
});

describe('report verify', () => {
  const signed = { ...report, signoff: signoffOf(report, 'alice@lab1') };
  const json = `${JSON.stringify(signed, null, 2)}\n`;
  const hex = sha256(json);
  const html = renderHtml(signed, { sha256: hex });

  it('an untouched run folder passes every check', () => {
    expect(htmlSha(html)).toBe(hex);
    const checks = verifyChecks({ reportBytes: Buffer.from(json), shaFile: shaLine(hex), html });
    expect(checks.map((c) => `${c.name}: ${c.ok}`)).toEqual([
      'report.json.sha256: true',
      'index.html sign-off summary: true',
      'counts equal the scenarios: true',
      'sign-off verdict: true',
    ]);
  });

  it('an edited report.json fails against the sha256 file, the page and the history', () => {
    const edited = json.replace('"status": "failed"', '"status": "passed"');
    expect(edited).not.toBe(json);
    const checks = verifyChecks({
      reportBytes: Buffer.from(edited),
      shaFile: shaLine(hex),
      html,
      history: { sha256: hex } as never,
    });
    const failed = checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual([
      'report.json.sha256',
      'index.html sign-off summary',
      'history index',
      'counts equal the scenarios',
      'sign-off verdict',
    ]);
    expect(checks[0]?.detail).toBe(`recorded ${hex}, report.json is ${sha256(edited)}`);
  });

  it('a missing sha256 file is a failure, not a pass', () => {
    const checks = verifyChecks({ reportBytes: Buffer.from(json) });
    expect(checks[0]).toEqual({ name: 'report.json.sha256', ok: false, detail: 'report.json.sha256 is missing' });
  });
});
