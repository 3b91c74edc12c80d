/**
 * `skyprobe run`: pick scenarios and routing modes, bring the lab up (or use the running one), drive vitest's
 * conformance project programmatically, and leave report.json and junit.xml in the run folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startVitest } from 'vitest/node';
import { SkyprobeError } from '../errors.ts';
import { type Runner, execRunner } from '../exec/runner.ts';
import type { Progress } from '../log.ts';
import { repoRoot } from '../paths.ts';
import { providerFor } from '../providers/select.ts';
import { ScenarioReporter } from '../report/reporter.ts';
import { AREAS } from '../scenario/areas.ts';
import type { Report } from '../report/schema.ts';
import { cachePaths, readManifest } from '../setup/cache.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE } from '../setup/setup.ts';
import { type Issuance, readIssuance } from '../stack/issuance.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { clientsFor } from '../k8s/client.ts';
import { TIMEOUTS } from '../timeouts.ts';

export interface RunOptions {
  suites: string[];
  routing: Routing | 'both';
  /** embedded (default) | kind | existing (with kubeconfig). */
  provider?: string;
  kubeconfig?: string;
  out?: string;
  keep?: boolean;
  /** The issuance profile of a cluster the provider brings up; one it attaches to must already run it. */
  issuance?: Issuance;
  progress: Progress;
  run?: Runner;
}

/** The suites `--suite` may name: the catalog's areas (one folder each, areas.test.ts). */
export function suiteAreas(): string[] {
  return [...AREAS].sort();
}

export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}-${randomBytes(2).toString('hex')}`;
}

async function gitCommit(run: Runner): Promise<string> {
  const r = await run('git', ['-C', repoRoot(), 'rev-parse', '--short=12', 'HEAD'], { timeoutMs: TIMEOUTS.runRecord });
  return r.exitCode === 0 ? r.output.trim() : 'unknown';
}

async function componentVersions(run: Runner): Promise<Record<string, string>> {
  const pins = loadPinFile(join(repoRoot(), PIN_FILE));
  const out: Record<string, string> = {};
  for (const c of pins.components) out[c.name] = readManifest(cachePaths(), c)?.version ?? `${c.version} (not built)`;
  const debs = ['pebble', 'haproxy', 'wireguard-go', 'iptables'];
  const r = await run('dpkg-query', ['-W', '-f=${Package} ${Version}\n', ...debs], { timeoutMs: TIMEOUTS.runRecord });
  for (const line of r.output.split('\n')) {
    const [name, version] = line.trim().split(' ');
    if (name && version) out[name] = version;
  }
  out.node = process.version;
  return out;
}

export async function runConformance(o: RunOptions): Promise<{ report: Report; dir: string; exitCode: number }> {
  const run = o.run ?? execRunner;
  const areas = suiteAreas();
  for (const s of o.suites)
    if (!areas.includes(s))
      throw new SkyprobeError(`unknown suite "${s}"`, { hint: `choose from: ${areas.join(', ')}` });
  const routings = o.routing === 'both' ? ROUTINGS : [o.routing];
  const id = newRunId();
  const dir = resolve(o.out ?? join(repoRoot(), 'reports', id));
  const startedAt = new Date();

  const provider = providerFor(o.provider ?? 'embedded', { kubeconfig: o.kubeconfig, runId: id });
  const info = await provider.info();
  if (!info.available)
    throw new SkyprobeError(`provider ${provider.name} is not available here: ${info.reason}`, {
      hint: info.hint ?? (provider.name === 'embedded' ? 'run as root' : 'or use --provider embedded (the default)'),
    });
  const cluster = await provider.up({ run, progress: o.progress, keep: o.keep, issuance: o.issuance });
  // Which profile ran is read from the cluster's ClusterIssuers, whoever made them.
  const issuance = await readIssuance(clientsFor(cluster.kubeconfig).objects);
  if (o.issuance && issuance.profile !== o.issuance) {
    await provider.down(cluster, { run, progress: o.progress, keep: o.keep });
    throw new SkyprobeError(`cluster ${cluster.id} runs the ${issuance.profile} issuance profile, not ${o.issuance}`, {
      hint: `rerun with --issuance ${issuance.profile}, or without --issuance, or stop the lab (skyprobe lab down) and let skyprobe run start its own`,
    });
  }
  // The run folder exists only once there is a cluster to run on: bad input leaves nothing behind.
  mkdirSync(dir, { recursive: true });
  o.progress.info(
    `${cluster.provider} cluster ${cluster.id} ${cluster.created ? 'started' : 'in use'} (issuance ${issuance.profile}); running ${o.suites.length > 0 ? o.suites.join(', ') : 'every suite'} in ${routings.join(' and ')} routing`,
  );
  const components = await componentVersions(run);
  const commit = await gitCommit(run);
  const reporter = new ScenarioReporter(
    dir,
    () => ({
      id,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      routing: routings,
      provider: cluster.provider,
      gitCommit: commit,
    }),
    components,
    issuance,
  );
  process.env.SKYPROBE_ROUTING = o.routing;
  process.env.SKYPROBE_CLUSTER = JSON.stringify(cluster);
  try {
    const filters = o.suites.map((s) => `suites/${s}/`);
    const vitest = await startVitest('test', filters, {
      config: join(repoRoot(), 'harness', 'vitest.config.ts'),
      project: ['conformance'],
      reporters: [reporter],
      watch: false,
    });
    await vitest.close();
  } finally {
    delete process.env.SKYPROBE_CLUSTER;
    await provider.down(cluster, { run, progress: o.progress, keep: o.keep });
  }
  const report = reporter.report;
  if (!report) throw new SkyprobeError('the conformance run produced no report', { hint: 'rerun with --verbose' });
  if (dir.startsWith(join(repoRoot(), 'reports'))) {
    const latest = join(repoRoot(), 'reports', 'latest');
    rmSync(latest, { force: true });
    symlinkSync(relative(join(repoRoot(), 'reports'), dir), latest);
  }
  return { report, dir, exitCode: report.summary.failed > 0 ? 1 : 0 };
}
