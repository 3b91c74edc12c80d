/**
 * `skyprobe run`: pick scenarios and routing modes, bring the lab up (or use the running one), drive vitest's
 * conformance project programmatically, and leave report.json and junit.xml in the run folder.
 */
import { RENDERER_ENV } from '../scenario/envs/env-parts.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startVitest } from 'vitest/node';
import { SkyprobeError } from '../errors.ts';
import { type Runner, execRunner } from '../exec/runner.ts';
import type { Progress } from '../log.ts';
import { repoRoot } from '../paths.ts';
import { providerFor } from '../providers/select.ts';
import { addUpstream, buildReport } from '../report/build.ts';
import { ScenarioReporter, writeReportFiles } from '../report/reporter.ts';
import { AREAS } from '../scenario/areas.ts';
import { CATALOG_FILES_ENV } from '../scenario/catalog-files.ts';
import { scenarioFiles } from '../scenario/load.ts';
import { SELECTED_ENV, selectedValue } from '../scenario/selected.ts';
import type { Report } from '../report/schema.ts';
import { cachePaths, readManifest } from '../setup/cache.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE } from '../setup/setup.ts';
import { UPSTREAM_SUITES } from '../setup/suite-pins.ts';
import { type Issuance, readIssuance } from '../stack/issuance.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import type { Layout } from '../stack/layout.ts';
import { SCALE_ENV } from '../stack/scale.ts';
import { runLayout } from './run-layout.ts';
import { clientsFor } from '../k8s/client.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { type NothingToRun, selectScenarios, suiteSelection } from './selection.ts';
import { checkCluster, isUpstreamSuite, prepareUpstream, runUpstream, upstreamScenarioTest } from './upstream-run.ts';

export interface RunOptions {
  suites: string[];
  /** `--scenario`: these scenarios only (selection.ts). */
  scenarios?: string[];
  /** `--failed-from`: the scenario runs that failed in this earlier run folder (selection.ts). */
  failedFrom?: string;
  routing: Routing | 'both';
  /** embedded (default) | kind | existing (with kubeconfig). */
  provider?: string;
  kubeconfig?: string;
  out?: string;
  keep?: boolean;
  /** Run only this test of the upstream suites named (its short name; a known failure too). */
  upstreamTest?: string;
  /** The issuance profile of a cluster the provider brings up; one it attaches to must already run it. */
  issuance?: Issuance;
  /** How deploys lay out HTTPS hosts on the edge (stack/layout.ts); default the lab's (lab up --layout). */
  layout?: Layout;
  /** HTTPS hosts of the scale scenarios (stack/scale.ts); default small. */
  scale?: number;
  /** The folder of the history index (history.jsonl); default the reports folder. */
  history?: string;
  /** Rerun a failed scenario up to this many times (each attempt's evidence kept; a later pass is flaky). */
  retries?: number;
  /** Deploy apps with what this command renders (skyprobe.renderer/v1) instead of the built-in renderer. */
  renderer?: string;
  /** At most this many scenario runs at once, on one lab (default 1: one after another); `alone` ones run alone. */
  parallel?: number;
  progress: Progress;
  run?: Runner;
}

/** The catalog's suites `--suite` may name: its areas (one folder each, areas.test.ts); upstream ones are apart. */
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

export async function runConformance(
  o: RunOptions,
): Promise<{ report: Report; dir: string; exitCode: number } | NothingToRun> {
  const run = o.run ?? execRunner;
  const areas = suiteAreas();
  for (const s of o.suites)
    if (!areas.includes(s) && !isUpstreamSuite(s))
      throw new SkyprobeError(`unknown suite "${s}"`, {
        hint: `choose from: ${[...areas, ...UPSTREAM_SUITES].join(', ')}`,
      });
  // An upstream test named with --scenario (GWAPI-<Name>) is a run of its suite with that one test.
  const asked = upstreamScenarioTest(o.scenarios ?? []);
  const upstreamTest = asked?.test ?? o.upstreamTest;
  // Upstream suites (gateway-api) run after skyprobe's catalog; the catalog runs when an area of it is named, a
  // scenario of it, or nothing at all.
  const upstream = [...new Set([...o.suites.filter(isUpstreamSuite), ...(asked ? [asked.suite] : [])])];
  const catalogAreas = o.suites.filter((s) => !isUpstreamSuite(s));
  const catalogScenarios = (o.scenarios ?? []).filter((id) => !asked?.ids.includes(id));
  const selection = await selectScenarios({
    suites: catalogAreas,
    scenarios: catalogScenarios,
    failedFrom: o.failedFrom,
    routing: o.routing,
  });
  if (selection && 'nothing' in selection) return selection;
  const runCatalog = selection !== undefined || catalogAreas.length > 0 || upstream.length === 0;
  const prepared = upstream.map((name) => prepareUpstream(loadPinFile(join(repoRoot(), PIN_FILE)), name));
  const routings = runCatalog ? (o.routing === 'both' ? ROUTINGS : [o.routing]) : [];
  const parallel = o.parallel ?? 1;
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
  const what = [
    ...(runCatalog
      ? [
          `${selection ? selection.record.runs?.join(', ') : catalogAreas.length > 0 ? catalogAreas.join(', ') : 'every suite'} in ${routings.join(' and ')} routing`,
        ]
      : []),
    ...upstream.map(
      (u) => `${runCatalog ? 'then ' : ''}the upstream ${u} suite${upstreamTest ? ` (${upstreamTest} only)` : ''}`,
    ),
  ];
  o.progress.info(
    `${cluster.provider} cluster ${cluster.id} ${cluster.created ? 'started' : 'in use'} (issuance ${issuance.profile}, parallel ${parallel}); running ${what.join(', ')}`,
  );
  const components = { ...(await componentVersions(run)), ...cluster.environment };
  const commit = await gitCommit(run);
  const runInfo = (): Report['run'] => ({
    id,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    routing: routings,
    provider: cluster.provider,
    gitCommit: commit,
    selection: selection?.record ?? suiteSelection(o.suites),
    ...(o.renderer ? { renderer: o.renderer } : {}),
    parallel,
  });
  const files = { history: resolve(o.history ?? join(repoRoot(), 'reports')) };
  mkdirSync(files.history, { recursive: true });
  const layout = runLayout(cluster, o.layout);
  const reporter = new ScenarioReporter(dir, runInfo, components, issuance, files, layout);
  process.env.SKYPROBE_ROUTING = o.routing;
  process.env.SKYPROBE_LAYOUT = layout;
  if (o.scale) process.env[SCALE_ENV] = String(o.scale);
  process.env.SKYPROBE_RETRIES = String(o.retries ?? 0);
  if (o.renderer) process.env[RENDERER_ENV] = o.renderer;
  process.env.SKYPROBE_CLUSTER = JSON.stringify(cluster);
  if (selection) process.env[SELECTED_ENV] = selectedValue(selection.runs);
  let report: Report | undefined;
  try {
    for (const p of prepared) checkCluster(p, cluster);
    if (runCatalog) {
      // One test file, the catalog, imports the chosen scenario files (scenario/catalog.ts).
      process.env[CATALOG_FILES_ENV] = JSON.stringify(selection?.files ?? scenarioFiles(catalogAreas));
      const vitest = await startVitest('test', ['suites/catalog.ts'], {
        config: join(repoRoot(), 'harness', 'vitest.config.ts'),
        project: ['conformance'],
        reporters: [reporter],
        watch: false,
        maxConcurrency: parallel,
      });
      await vitest.close();
      report = reporter.report;
    } else report = buildReport([], runInfo(), components, issuance, layout);
    for (const p of prepared) {
      if (!report) break;
      const { scenarios, summary } = await runUpstream(p, {
        cluster,
        dir,
        run,
        progress: o.progress,
        only: upstreamTest,
      });
      report = addUpstream({ ...report, run: runInfo() }, scenarios, summary);
      report = writeReportFiles(dir, report, files);
    }
  } finally {
    delete process.env.SKYPROBE_CLUSTER;
    delete process.env[SELECTED_ENV];
    delete process.env[CATALOG_FILES_ENV];
    delete process.env.SKYPROBE_RETRIES;
    delete process.env[RENDERER_ENV];
    delete process.env.SKYPROBE_LAYOUT;
    delete process.env[SCALE_ENV];
    await provider.down(cluster, { run, progress: o.progress, keep: o.keep });
  }
  if (!report) throw new SkyprobeError('the conformance run produced no report', { hint: 'rerun with --verbose' });
  if (dir.startsWith(join(repoRoot(), 'reports'))) {
    const latest = join(repoRoot(), 'reports', 'latest');
    rmSync(latest, { force: true });
    symlinkSync(relative(join(repoRoot(), 'reports'), dir), latest);
  }
  return { report, dir, exitCode: report.summary.failed > 0 ? 1 : 0 };
}
