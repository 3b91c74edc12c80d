/**
 * `domains check --all` on the real lab, with shop deployed (both routing modes): it lists every routed host of
 * shop (generated, custom, alias, www), `--namespace` narrows to exactly them, the summary matches the per-host
 * results, the progress line shows on a terminal only, and a namespace the API does not know is exit 2.
 * Uses a lab that is already up and leaves it running, or makes its own and removes it.
 */
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { labForFile } from './lab-for-file.ts';
import { converge } from '../converge.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { deployWithUserDns } from '../scenario/steps.ts';
import { orgNamespace, render } from '../stack/render.ts';
import { ROUTINGS } from '../stack/routing.ts';
import { type FactTarget, checkDomains } from '../facts/check.ts';
import { type DomainsReport, JUDGED } from '../facts/fact.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const cli = (...args: string[]) =>
  execa('node', [bin, 'domains', 'check', ...args], { reject: false, env: { NO_COLOR: '1' } });
/** The same command on a pseudo-terminal (util-linux `script`): stdout and stderr both reach the terminal. */
const onTty = (...args: string[]) =>
  execa('script', ['-qec', ['node', bin, 'domains', 'check', ...args].join(' '), '/dev/null'], {
    reject: false,
    env: { NO_COLOR: '1' },
  });

/** The summary recounted here from the host results, independently of summary.ts. */
function recount(r: DomainsReport) {
  const counts: Record<string, Record<string, number>> = {};
  const failed: string[] = [];
  for (const e of JUDGED) counts[e.name] = { pass: 0, fail: 0, pending: 0, unknown: 0 };
  for (const h of r.hosts) {
    const statuses = [
      ...Object.entries(h.facts).map(([name, f]) => [name, f.status] as const),
      ['endpoint', h.endpoint.status] as const,
    ];
    for (const [name, status] of statuses) {
      const c = counts[name] as Record<string, number>;
      c[status] = (c[status] ?? 0) + 1;
    }
    if (statuses.some(([, s]) => s === 'fail' || s === 'unknown')) failed.push(h.host);
  }
  return { hosts: r.hosts.length, counts, failed };
}

describe('skyprobe domains check --all', () => {
  let env: ScenarioEnv;
  let target: FactTarget;
  const shop = () => env.app('shop');
  const namespace = () => orgNamespace(shop().org);

  const lab = labForFile();
  beforeAll(() => {
    ({ env, target } = lab.get());
  });

  describe.each([...ROUTINGS].reverse())('shop deployed, %s routing', (routing) => {
    let shopHosts: string[];

    beforeAll(async () => {
      await deployWithUserDns({ env, routing }, 'shop');
      shopHosts = render(shop(), routing)
        .hosts.map((h) => h.host)
        .sort();
      // Until every fact of shop's hosts passes, twice in a row (certificates are issued after the deploy).
      const healthy = await converge(
        async () => {
          const r = await checkDomains(target, { all: true, namespace: namespace() });
          return { ok: r.summary.failed.length + r.summary.pending.length === 0, evidence: r.summary };
        },
        { successes: 2, timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(healthy.ok, JSON.stringify(healthy.attempts.at(-1)?.evidence)).toBe(true);
    }, 240_000);

    it('lists every routed host of shop (generated, custom, alias, www), and the summary matches the hosts', async () => {
      expect(render(shop(), routing).hosts.map((h) => h.kind)).toEqual(['generated', 'custom', 'alias', 'www']);
      const r = await cli('--all', '--json');
      expect([0, 1, 3], r.stderr).toContain(r.exitCode);
      const report = JSON.parse(r.stdout) as DomainsReport;
      const listed = report.hosts.map((h) => h.host);
      for (const h of shopHosts) expect(listed).toContain(h);
      expect(listed).toEqual([...new Set(listed)].sort());
      expect(recount(report)).toEqual({
        hosts: report.summary.hosts,
        counts: report.summary.counts,
        failed: report.summary.failed.map((f) => f.host),
      });
    }, 60_000);

    it('--namespace narrows to exactly the hosts of shop, all passing, exit 0; the table ends with the summary', async () => {
      const json = await cli('--all', '--namespace', namespace(), '--json');
      expect(json.exitCode, json.stdout).toBe(0);
      const report = JSON.parse(json.stdout) as DomainsReport;
      expect(report.hosts.map((h) => h.host)).toEqual(shopHosts);
      expect(report.summary.hosts).toBe(shopHosts.length);
      for (const e of JUDGED)
        expect(report.summary.counts[e.name]).toEqual({ pass: shopHosts.length, fail: 0, pending: 0, unknown: 0 });
      expect(report.summary.workload.ready).toBe(shopHosts.length);
      expect(report.summary.notChecked).toEqual([]);

      const table = await cli('--all', '--namespace', namespace());
      expect(table.exitCode).toBe(0);
      const n = shopHosts.length;
      expect(table.stdout).toContain(
        [
          `summary: ${n} host(s)`,
          `  metadata: ${n} pass`,
          `  routing:  ${n} pass`,
          `  dns:      ${n} pass`,
          `  tls:      ${n} pass`,
          `  endpoint: ${n} pass`,
          `  workload: ${n} ready`,
        ].join('\n'),
      );
      expect(table.stderr, 'no progress line when stderr is not a terminal').toBe('');
    }, 60_000);
  });

  it('on a terminal, a progress line counts the hosts; with --json, none', async () => {
    const n = (await checkDomains(target, { all: true, namespace: namespace() })).hosts.length;
    const tty = await onTty('--all', '--namespace', namespace());
    expect(tty.stdout).toContain(`checked ${n}/${n} hosts`);
    expect(tty.stdout).toContain(`summary: ${n} host(s)`);
    const json = await onTty('--all', '--namespace', namespace(), '--json');
    expect(json.stdout).not.toContain('checked ');
    expect(json.stdout).toContain('"summary"');
  }, 60_000);

  it('a namespace the API does not know: one line and exit 2, bounded (node start included)', async () => {
    const t0 = Date.now();
    const r = await cli('--all', '--namespace', 'org-nobody-here');
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: namespace "org-nobody-here" does not exist in the cluster');
    expect(r.stdout).toBe('');
  });
});
