/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core), opened from file:// as a
 * person would open an archived report: counts equal report.json's, filters (status, area, feature, a feature
 * chip) hide what they should, search works, no request leaves the page, and a screenshot is saved into the run folder.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build.ts';
import { renderHtml } from './html.ts';

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
});
