/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core), opened from file:// as a
 * person would open an archived report: counts equal report.json's, filters (status, area, feature, a feature
 * chip) hide what they should, search works, no request leaves the page, and a screenshot is saved into the run folder.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { buildReport } from './build.ts';
import { type HistoryRun, parseHistory } from './history.ts';
import { renderHtml } from './html.ts';
import type { Report } from './schema.ts';

function fixtureReport() {
  const check = (name: string, ok: boolean) => ({
    name,
    status: ok ? ('passed' as const) : ('failed' as const),
    evidence: { detail: `<${name}>` },
    durationMs: 3,
  });
  const result = (id: string, routing: 'current' | 'target', ok: boolean) => ({
    id,
    routing,
    status: ok ? ('passed' as const) : ('failed' as const),
    durationMs: 1200,
    checks: [check(`${id} answers`, ok)],
    notes: {},
    message: ok ? undefined : `${id} failed`,
  });
  return buildReport(
    [
      {
        header: {
          id: 'DP-01',
          title: 'generated host reaches the app',
          area: 'data-path',
          features: ['Gateway', 'HTTPRoute'],
        },
        routing: 'current',
        status: 'passed',
        result: result('DP-01', 'current', true),
      },
      {
        header: {
          id: 'DP-01',
          title: 'generated host reaches the app',
          area: 'data-path',
          features: ['Gateway', 'HTTPRoute'],
        },
        routing: 'target',
        status: 'passed',
        result: result('DP-01', 'target', true),
      },
      {
        header: { id: 'TLS-02', title: 'custom domain certificates', area: 'tls', features: ['CertManager', 'HTTP01'] },
        routing: 'target',
        status: 'failed',
        result: result('TLS-02', 'target', false),
      },
      {
        header: { id: 'DNS-02', title: 'user zone', area: 'dns', features: ['UserZone', 'CNAME'] },
        routing: 'current',
        status: 'skipped',
      },
    ],
    {
      id: 'browser-test',
      startedAt: new Date().toISOString(),
      durationMs: 4200,
      routing: ['current', 'target'],
      provider: 'embedded',
      gitCommit: 'test',
    },
    { kubernetes: 'v1.36.3' },
  );
}

describe('index.html in a browser', () => {
  it('shows the counts of report.json, filters and searches, makes no request, and is screenshotted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-report-'));
    const report = fixtureReport();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    writeFileSync(join(dir, 'index.html'), renderHtml(report));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${join(dir, 'index.html')}`);
      expect(await page.textContent('#count-passed')).toBe(String(report.summary.passed));
      expect(await page.textContent('#count-failed')).toBe(String(report.summary.failed));
      expect(await page.textContent('#count-skipped')).toBe(String(report.summary.skipped));
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(report.scenarios.length);
      // Failures first.
      expect(await page.locator('section.scenario').first().getAttribute('id')).toBe('TLS-02-target');
      await page.selectOption('#status', 'failed');
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(report.summary.failed);
      expect(await page.locator('#DP-01-current').getAttribute('class')).toContain('hidden');
      await page.selectOption('#status', '');
      await page.selectOption('#area', 'data-path');
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(2);
      await page.selectOption('#area', '');
      await page.fill('#q', 'user zone');
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(1);
      await page.fill('#q', '');
      // Features: the filter, and a scenario's chip setting it.
      await page.selectOption('#feature', 'HTTPRoute');
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(2);
      expect(await page.locator('#TLS-02-target').getAttribute('class')).toContain('hidden');
      await page.selectOption('#feature', '');
      await page.locator('#TLS-02-target button.feature[data-feature="CertManager"]').click();
      expect(await page.inputValue('#feature')).toBe('CertManager');
      expect(await page.locator('section.scenario:not(.hidden)').count()).toBe(1);
      await page.selectOption('#feature', '');
      // The banner names the failed scenario and its failing check; its link opens that check's evidence.
      expect(await page.textContent('#failures')).toContain('TLS-02 [target]');
      await page.fill('#q', 'user zone');
      await page.locator('#failures a[href="#TLS-02-target-check-0"]').click();
      expect(await page.locator('#TLS-02-target-check-0 details').getAttribute('open')).not.toBeNull();
      expect(await page.locator('#TLS-02-target-check-0 pre').isVisible()).toBe(true);
      await page.fill('#q', '');
      await page.screenshot({ path: join(dir, 'screenshot.png'), fullPage: true });
      expect(
        requests.every((u) => u.startsWith('file://') || u.startsWith('data:')),
        requests.join(', '),
      ).toBe(true);
    } finally {
      await browser.close();
    }
    expect(existsSync(join(dir, 'screenshot.png')) && statSync(join(dir, 'screenshot.png')).size).toBeGreaterThan(
      10_000,
    );
  }, 60_000);

  it('with a history of real runs: strips of the last runs, the flaky marks, the trend; fast with 100 past runs', async () => {
    // Recorded from real runs of the dns suite (docs/architecture.md "Sign-off"): DNS-01 made to fail once by the
    // test-only hook SKYPROBE_TEST_FAIL_ONCE (flaky by its history), DNS-02 failed once and passed on a retry.
    const src = join(repoRoot(), 'fixtures', 'reports', 'history');
    const report = JSON.parse(readFileSync(join(src, 'report.json'), 'utf8')) as Report;
    const runs = parseHistory(readFileSync(join(src, 'history.jsonl'), 'utf8'));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-history-'));
    writeFileSync(join(dir, 'index.html'), renderHtml(report, { history: runs }));
    // 100 past runs: the real ones, then copies under other ids and times, before the last real run.
    const many: HistoryRun[] = [];
    for (let i = 0; many.length < 100 - runs.length; i++)
      for (const r of runs.slice(0, -1))
        if (many.length < 100 - runs.length)
          many.push({
            ...r,
            id: `${r.id}-copy${i}`,
            startedAt: new Date(Date.parse(r.startedAt) - (i + 1) * 86_400_000).toISOString(),
          });
    const hundred = [...many.sort((a, b) => a.startedAt.localeCompare(b.startedAt)), ...runs];
    writeFileSync(join(dir, 'hundred.html'), renderHtml(report, { history: hundred }));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${join(dir, 'index.html')}`);
      const row = (a: string) => page.locator(`tr[data-history="${a}"]`);
      // One cell per real run that ran the scenario, the last outlined as this run.
      expect(await row('DNS-01-current').locator('.cell').count()).toBe(Math.min(10, runs.length));
      expect(await row('DNS-01-current').locator('.cell.f').count()).toBe(1);
      expect(await row('DNS-01-current').locator('.cell.now').count()).toBe(1);
      expect(await row('DNS-02-current').locator('.cell.F').count()).toBe(1);
      // Both marked flaky, each with why; the marks are visible in the table and on the scenario.
      expect(await row('DNS-01-current').locator('.badge.flaky').isVisible()).toBe(true);
      expect(await row('DNS-01-current').textContent()).toMatch(/failed in run .*, passed in run .*same commit/);
      expect(await row('DNS-02-current').textContent()).toContain('passed only after a retry');
      expect(await page.locator('section.scenario[data-flaky="true"]').count()).toBe(2);
      expect(await page.locator('svg.trend rect').count()).toBeGreaterThanOrEqual(runs.length);
      // A cell's title names its run, verdict and duration.
      expect(await row('DNS-01-current').locator('.cell.f').getAttribute('title')).toMatch(/: failed, \d+\.\d s$/);
      await page.locator('#history').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(dir, 'history.png'), fullPage: true });
      const t0 = Date.now();
      await page.goto(`file://${join(dir, 'hundred.html')}`, { waitUntil: 'load' });
      const loadMs = Date.now() - t0;
      expect(await page.textContent('#history + p')).toContain('100 runs up to this one');
      expect(loadMs, `${loadMs} ms`).toBeLessThan(2000);
      expect(
        requests.every((u) => u.startsWith('file://') || u.startsWith('data:')),
        requests.join(', '),
      ).toBe(true);
    } finally {
      await browser.close();
    }
    expect(statSync(join(dir, 'history.png')).size).toBeGreaterThan(10_000);
  }, 60_000);
});
