/**
 * npm run bench: the performance targets of DESIGN.md, measured on this machine (medians). Figures go in notes,
 * not in timed tests. Each lab is brought up and taken down by the harness itself; nothing is left running.
 *   setup warm; lab up (nodes Ready + /readyz) and down; lab peak memory (sum of RSS); stack up;
 *   certificate created -> valid HTTPS; domains check of a healthy host (in-process, and the whole CLI command)
 *   and of one whose edge does not answer; full conformance run (both routing modes, lab up to lab down);
 *   `domains check --all` over N routed hosts (bench-domains-all.ts), at each concurrency of a list; the CLI's
 *   whole commands (bench-cli.ts): --help, lab up --keep with the stack, domains check of a healthy host, lab down.
 * Usage: npm run bench [-- --runs N] [-- --conformance-runs N] [-- --hosts N --concurrency-list 4,8,16 --all-runs N]
 *   --only domains-all, --only cli, --only certificate or --only conformance runs that case alone; --hosts 0
 *   leaves domains-all out.
 *   --only conformance [--conformance-runs N] [--parallel-list 1,2,4,8] [--issuance fast|faithful]: the full run
 *   (both routing modes, lab up to lab down) N times at each parallelism (bench-conformance.ts).
 *   --only certificate [--runs N] [--issuance-list fast,faithful] [--cert-routing current|target]: certificate
 *   created -> valid HTTPS per issuance profile, with its phases (bench-certificate.ts).
 *   --scale N --layout L [--routing current|target] [--issuance fast|faithful] [--per-app H] [--green-within S]:
 *   (--per-app default: as SC-01, 4 hosts an app below 64 hosts, 16 from 64 on)
 *   the scale case alone (bench-scale.ts): a fleet of N hosts in layout L until every host passes, one more app,
 *   the lab's memory and CPU, domains check --all, the largest Gateway. Results in reports/bench-scale-*.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { execRunner } from '../harness/exec/runner.ts';
import type { Progress } from '../harness/log.ts';
import { repoRoot } from '../harness/paths.ts';
import { labDown, labUp } from '../harness/providers/embedded/lab.ts';
import { labelledProcesses } from '../harness/providers/embedded/processes.ts';
import { labEnv } from '../harness/scenario/envs/lab-env.ts';
import { benchCli } from './bench-cli.ts';
import { benchDomainsAll } from './bench-domains-all.ts';
import { benchCertificate } from './bench-certificate.ts';
import { benchScale } from './bench-scale.ts';
import type { Layout } from '../harness/stack/layout.ts';
import { benchConformance } from './bench-conformance.ts';
import { DEFAULT_PARALLEL } from '../harness/cli/run-command.ts';
import { DEFAULT_ISSUANCE, type Issuance } from '../harness/stack/issuance.ts';
import type { Routing } from '../harness/stack/routing.ts';
import { fleetHostsPerApp } from '../harness/stack/generate.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('--runs', 5);
const CONFORMANCE_RUNS = arg('--conformance-runs', 3);
const ALL_HOSTS = arg('--hosts', 200);
const ALL_RUNS = arg('--all-runs', 1);
const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const CONCURRENCIES = (option('--concurrency-list') ?? '4,8,16,32').split(',').map(Number);
const ONLY = option('--only');
if (ONLY !== undefined && !['domains-all', 'certificate', 'cli', 'conformance'].includes(ONLY))
  throw new Error(`--only ${ONLY}: the cases that run alone are domains-all, certificate, cli and conformance`);
/** `--parallel-list 1,2,4,8`: the full conformance run at each (default: skyprobe run's default). */
const PARALLELS = (option('--parallel-list') ?? String(DEFAULT_PARALLEL)).split(',').map(Number);
/** `--issuance P` for the conformance runs (default: the lab's default profile). */
const CONFORMANCE_ISSUANCE = option('--issuance') as Issuance | undefined;
const ISSUANCE_LIST = (option('--issuance-list') ?? 'fast,faithful').split(',') as Issuance[];
const CERT_ROUTING = (option('--cert-routing') ?? 'current') as Routing;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const bin = join(repoRoot(), 'bin', 'skyprobe.mjs');

function rssSumMiB(): number {
  let kib = 0;
  for (const pid of labelledProcesses().keys()) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kib / 1024);
}

/** A Progress that remembers how long each step took. */
function stepTimes(): Progress & { times: Map<string, number> } {
  const times = new Map<string, number>();
  return {
    times,
    start() {},
    info() {},
    end(_c, step, _ok, ms) {
      times.set(step, ms);
    },
  };
}

const results: Record<string, unknown> = {
  machine: { cores: (await import('node:os')).cpus().length, node: process.version },
  date: new Date().toISOString(),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const domainsAll = () => benchDomainsAll({ hosts: ALL_HOSTS, concurrencies: CONCURRENCIES, runs: ALL_RUNS, bin, log });
function writeResults(): void {
  const out = join(repoRoot(), 'reports', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n${out}\n`);
}
if (option('--scale')) {
  const scale = await benchScale({
    hosts: arg('--scale', 64),
    layout: (option('--layout') ?? 'sharded') as Layout,
    routing: (option('--routing') ?? 'target') as Routing,
    issuance: (option('--issuance') ?? DEFAULT_ISSUANCE.embedded) as Issuance,
    perApp: arg('--per-app', fleetHostsPerApp(arg('--scale', 64))),
    greenWithinMs: arg('--green-within', 900) * 1000,
    bin,
    log,
  });
  results.scale = scale;
  const out = join(
    repoRoot(),
    'reports',
    `bench-scale-${scale.layout}-${scale.routing}-${scale.hosts}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${out}\n`);
  process.exit(0);
}
if (ONLY === 'certificate') {
  results.certificate = await benchCertificate({ issuances: ISSUANCE_LIST, runs: RUNS, routing: CERT_ROUTING, log });
  writeResults();
  process.exit(0);
}
const cli = () => benchCli({ bin, runs: RUNS, log });
if (ONLY === 'domains-all') {
  results.domainsCheckAll = await domainsAll();
  writeResults();
  process.exit(0);
}
if (ONLY === 'cli') {
  results.cli = await cli();
  writeResults();
  process.exit(0);
}
const conformance = () =>
  benchConformance({ bin, runs: CONFORMANCE_RUNS, parallels: PARALLELS, issuance: CONFORMANCE_ISSUANCE, log });
if (ONLY === 'conformance') {
  results.conformance = await conformance();
  writeResults();
  process.exit(0);
}

// setup warm
const setupMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = Date.now();
  await execa('node', [bin, 'setup']);
  setupMs.push(Date.now() - t0);
}
results.setupWarmMs = { runs: setupMs, median: median(setupMs) };
log(`setup warm: median ${median(setupMs)} ms`);

// lab up / down, peak memory, stack up, certificate -> HTTPS
const up: number[] = [];
const down: number[] = [];
const stackUp: number[] = [];
const fullUp: number[] = [];
const rss: number[] = [];
const certMs: number[] = [];
const domainsMs: number[] = [];
const domainsCliMs: number[] = [];
const domainsSilentCliMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let t0 = Date.now();
  await labUp({ nodes: 2, run: execRunner, progress: stepTimes() });
  up.push(Date.now() - t0);
  t0 = Date.now();
  await labDown(execRunner);
  down.push(Date.now() - t0);

  const p = stepTimes();
  t0 = Date.now();
  await labUp({ nodes: 2, run: execRunner, progress: p, stack: true });
  fullUp.push(Date.now() - t0);
  stackUp.push([...p.times].filter(([k]) => /stack|DNS|CRDs|edge/.test(k)).reduce((a, [, v]) => a + v, 0));
  const env = labEnv();
  const pop = env.app('pop');
  t0 = Date.now();
  await env.deploy(pop, 'current');
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const t = await env.tls(pop.generatedHost);
    if (t.verified && (t.chain[0]?.sans ?? []).includes(pop.generatedHost)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  certMs.push(Date.now() - t0);
  // domains check of the healthy host: the check itself, the whole command, and an edge that does not answer.
  const host = pop.generatedHost;
  t0 = Date.now();
  const facts = await env.facts([host]);
  domainsMs.push(Date.now() - t0);
  const verdict = Object.values(facts.hosts[0]?.facts ?? {})
    .map((f) => f.status)
    .join(',');
  if (verdict !== 'pass,pass,pass,pass') {
    const why = Object.entries(facts.hosts[0]?.facts ?? {})
      .filter(([, f]) => f.status !== 'pass')
      .map(([n, f]) => `${n}: ${f.summary}`)
      .join('; ');
    log(`warning: ${host} is not healthy (${verdict}: ${why}); its domains check time is not a healthy host's`);
  }
  t0 = Date.now();
  const cli = await execa('node', [bin, 'domains', 'check', host], { reject: false });
  domainsCliMs.push(Date.now() - t0);
  t0 = Date.now();
  await execa('node', [bin, 'domains', 'check', host, '--edge', '203.0.113.99'], { reject: false });
  domainsSilentCliMs.push(Date.now() - t0);
  log(
    `domains check ${host}: check ${domainsMs.at(-1)} ms, command ${domainsCliMs.at(-1)} ms (exit ${cli.exitCode}), silent edge ${domainsSilentCliMs.at(-1)} ms`,
  );
  rss.push(rssSumMiB());
  await labDown(execRunner);
  log(
    `run ${i + 1}: lab up ${up.at(-1)} ms, down ${down.at(-1)} ms, with stack ${fullUp.at(-1)} ms (stack ${stackUp.at(-1)} ms), deploy -> valid HTTPS ${certMs.at(-1)} ms, RSS ${rss.at(-1)} MiB`,
  );
}
results.labUpMs = { runs: up, median: median(up) };
results.labDownMs = { runs: down, median: median(down) };
results.labWithStackUpMs = { runs: fullUp, median: median(fullUp) };
results.stackUpMs = { runs: stackUp, median: median(stackUp) };
results.deployToValidHttpsMs = { runs: certMs, median: median(certMs) };
results.labRssMiB = { runs: rss, max: Math.max(...rss) };
results.domainsCheckHealthyMs = { runs: domainsMs, median: median(domainsMs) };
results.domainsCheckCommandMs = { runs: domainsCliMs, median: median(domainsCliMs) };
results.domainsCheckSilentEdgeCommandMs = { runs: domainsSilentCliMs, median: median(domainsSilentCliMs) };

// full conformance, both routing modes, lab up to lab down (bench-conformance.ts)
if (CONFORMANCE_RUNS > 0) results.conformance = await conformance();

results.cli = await cli();
if (ALL_HOSTS > 0) results.domainsCheckAll = await domainsAll();
writeResults();
