/**
 * The existing provider, for real, against the embedded lab's kubeconfig as if it were a remote cluster that
 * already runs the stack: the read-only scenarios pass, the lab-bound ones are skipped with the reason (never
 * counted as passed), ST-02 is skipped with the reason on the cluster before its first app (nothing routed to
 * judge), nothing cluster-scoped is left created, the run's namespace is gone afterwards, and a
 * namespace a killed run of this machine left is swept (another machine's is not).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { silentProgress } from '../log.ts';
import { repoRoot } from '../paths.ts';
import { cachePaths } from '../setup/cache.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE, componentBinary } from '../setup/setup.ts';
import type { Report } from '../report/schema.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { labEnv } from '../scenario/envs/lab-env.ts';
import { deployWithUserDns } from '../scenario/steps.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { deleteNamespace, runNamespace } from '../providers/existing/run-namespaces.ts';

/** A pid no process has (checked): what a killed harness leaves as the owner of its namespace. */
function deadPid(): number {
  for (let pid = 4_194_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
  }
}
const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const own = !liveLab();

describe('--provider existing, against the lab as a remote cluster', () => {
  let env: ScenarioEnv;
  let out: string;
  /**
   * Every cluster-scoped object, by kind and name (what the provider must leave as it found it). Left out: nodes,
   * review kinds, and IPAddress, the ClusterIP allocations that come and go with the stack's own Services (the
   * ACME solvers' during issuance).
   */
  async function clusterScoped(): Promise<string[]> {
    const kubectl = (args: string[]) =>
      execa(componentBinary(loadPinFile(join(repoRoot(), PIN_FILE)), 'kubectl', cachePaths()), [
        '--kubeconfig',
        env.lab.kubeconfig,
        ...args,
      ]);
    const kinds = (await kubectl(['api-resources', '--namespaced=false', '--verbs=list', '-o', 'name'])).stdout
      .split('\n')
      .filter((k) => k && !/^(nodes|componentstatuses|ipaddresses\..*|.*reviews?\..*|.*reviews)$/.test(k));
    return (await kubectl(['get', kinds.join(','), '-o', 'name'])).stdout.split('\n').filter(Boolean).sort();
  }

  beforeAll(async () => {
    if (own) await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
    env = labEnv();
    out = mkdtempSync(join(tmpdir(), 'skyprobe-existing-'));
  }, 180_000);
  afterAll(async () => {
    if (out) rmSync(out, { recursive: true, force: true });
    if (own && liveLab()) await labDown(execRunner);
  }, 60_000);

  // Before any app is deployed (a kept lab may hold apps already: then there is no such cluster to run against).
  it.skipIf(!own)(
    'on a healthy cluster with no app, ST-02 has nothing to judge: skipped with the reason, fast',
    async () => {
      const where = join(out, 'no-app');
      const r = await execa(
        'node',
        [
          bin,
          'run',
          '--provider',
          'existing',
          '--kubeconfig',
          env.lab.kubeconfig,
          '--scenario',
          'ST-02',
          '--out',
          where,
        ],
        { reject: false, env: { NO_COLOR: '1' } },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(where, 'report.json'), 'utf8')) as Report;
      expect(report.scenarios.map((s) => `${s.id} [${s.routing}] ${s.status}`)).toEqual([
        'ST-02 [current] skipped',
        'ST-02 [target] skipped',
      ]);
      expect(report.summary).toMatchObject({ passed: 0, failed: 0, skipped: 2 });
      for (const s of report.scenarios) {
        expect(s.message).toMatch(/^no HTTPRoute or Ingress names a host .*: no routed host to judge$/);
        // It failed after the whole convergence bound (60 s) in each mode before.
        expect(s.durationMs).toBeLessThan(5_000);
      }
    },
    120_000,
  );

  it('runs the read-only scenarios, skips the rest with the reason, and leaves nothing cluster-scoped behind', async () => {
    await deployWithUserDns({ env, routing: 'current' }, 'shop');
    // What a killed run of this machine left (its owner pid is gone), and a run of another machine's.
    const killed = runNamespace('skyprobe-killed-run', 'killed-run', `${hostname()}/${deadPid()}`);
    const foreign = runNamespace('skyprobe-other-machine', 'other', 'another-machine/1');
    for (const body of [killed, foreign]) await env.k.core.createNamespace({ body });
    const before = (await clusterScoped()).filter((o) => o !== 'namespace/skyprobe-killed-run');
    const r = await execa(
      'node',
      [bin, 'run', '--provider', 'existing', '--kubeconfig', env.lab.kubeconfig, '--out', out],
      { reject: false, env: { NO_COLOR: '1' } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.run.provider).toBe('existing');
    const passed = report.scenarios.filter((s) => s.status === 'passed').map((s) => `${s.id} [${s.routing}]`);
    expect(passed).toEqual(['ST-01 [current]', 'ST-01 [target]', 'ST-02 [current]', 'ST-02 [target]']);
    expect(report.summary.failed).toBe(0);
    const skipped = report.scenarios.filter((s) => s.status === 'skipped');
    expect(skipped.length).toBe(report.scenarios.length - 4);
    // One reason per unmet need (define.ts unmetNeeds): deploying (org namespaces), the internet, the lab's hooks.
    for (const s of skipped) expect(s.message, s.id).toMatch(/^needs .* which provider existing does not have$/);
    expect(r.stderr).toMatch(/namespace skyprobe-\S+ created/);
    // The run's namespace is gone, and the cluster-scoped objects are exactly those there were before.
    const namespaces = (await env.k.core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(namespaces).not.toContain(`skyprobe-${report.run.id}`);
    expect(r.stderr).toContain('removed namespaces that killed runs of this machine left: skyprobe-killed-run');
    expect(namespaces).not.toContain('skyprobe-killed-run');
    expect(namespaces).toContain('skyprobe-other-machine');
    expect(await clusterScoped()).toEqual(before);
    await deleteNamespace(env.k, 'skyprobe-other-machine');
  }, 300_000);
});
