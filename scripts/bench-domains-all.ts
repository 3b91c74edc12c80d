/**
 * The `domains check --all` case of npm run bench: a lab with one echo app (pop) and N more routed hosts, each an
 * HTTPRoute of its own on the Gateway's http listener to pop's Service, with an A record at the user's DNS provider
 * and a platform record naming pop's Deployment; then the whole command `skyprobe domains check --all --json`,
 * timed at each concurrency, and its summary checked against the host results. The N hosts have no certificate
 * (HTTPS listeners are limited today), so their TLS fact fails: the summary must say so, N times.
 */
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { execRunner } from '../harness/exec/runner.ts';
import { type DomainsReport, JUDGED } from '../harness/facts/fact.ts';
import { silentProgress } from '../harness/log.ts';
import { labDown, labUp } from '../harness/providers/embedded/lab.ts';
import { stackPaths } from '../harness/providers/embedded/stack.ts';
import { labEnv } from '../harness/scenario/envs/lab-env.ts';
import { metadataFile } from '../harness/stack/deploy.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME, HTTP_LISTENER } from '../harness/stack/edge-objects.ts';
import { orgNamespace } from '../harness/stack/render.ts';
import { waitUntil } from '../harness/converge.ts';

const ZONE = 'bench-hosts.example';
const LABEL = 'skyprobe.bench/case';

export interface DomainsAllRun {
  concurrency: number;
  ms: number;
  hostsPerSecond: number;
  exitCode: number | undefined;
  hosts: number;
  /** The summary equals a recount of the host results, and every bench host is listed. */
  summaryCorrect: boolean;
  summary: DomainsReport['summary']['counts'];
  /** How the N bench hosts came out, element -> status -> count. */
  benchHosts: Record<string, Record<string, number>>;
  /** One host's check (durationMs), median and slowest. */
  hostMs: { median: number; max: number };
}

export interface DomainsAllBench {
  routedHosts: number;
  setupMs: { deploy: number; routes: number; accepted: number };
  runs: DomainsAllRun[];
}

function recount(r: DomainsReport, names: string[]) {
  const of = (hosts: DomainsReport['hosts']) => {
    const counts: Record<string, Record<string, number>> = {};
    for (const e of JUDGED) {
      const c: Record<string, number> = { pass: 0, fail: 0, pending: 0, unknown: 0 };
      for (const h of hosts) {
        const s = e.status(h);
        if (s) c[s] = (c[s] ?? 0) + 1;
      }
      counts[e.name] = c;
    }
    return counts;
  };
  const listed = new Set(r.hosts.map((h) => h.host));
  const correct =
    r.summary.hosts === r.hosts.length &&
    names.every((n) => listed.has(n)) &&
    JSON.stringify(of(r.hosts)) === JSON.stringify(r.summary.counts) &&
    Object.values(r.summary.counts).every((c) => Object.values(c).reduce((a, b) => a + b, 0) === r.hosts.length);
  return { correct, bench: of(r.hosts.filter((h) => names.includes(h.host))) };
}

export async function benchDomainsAll(o: {
  hosts: number;
  concurrencies: number[];
  runs: number;
  bin: string;
  log: (line: string) => void;
}): Promise<DomainsAllBench> {
  await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
  try {
    const env = labEnv();
    const pop = env.app('pop');
    const ns = orgNamespace(pop.org);
    let t0 = Date.now();
    await env.deploy(pop, 'current');
    const deployMs = Date.now() - t0;
    const names = Array.from({ length: o.hosts }, (_, i) => `h${String(i + 1).padStart(3, '0')}.${ZONE}`);
    await env.userDns.set(
      ZONE,
      names.map((name) => ({ name, type: 'A' as const, value: env.lbIp })),
    );
    writeFileSync(
      metadataFile(stackPaths(env.lab.dir).metadata, { org: 'bench', app: 'hosts' }),
      JSON.stringify({
        org: 'bench',
        app: 'hosts',
        deployment: `${ns}/${pop.app}`,
        routing: 'current',
        hosts: names.map((host) => ({ host })),
        deployedAt: new Date().toISOString(),
      }),
    );
    t0 = Date.now();
    await pLimit(16).map(names, (host, i) =>
      env.k.objects.create({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `bench-${i + 1}`, namespace: ns, labels: { [LABEL]: 'domains-all' } },
        spec: {
          parentRefs: [{ name: GATEWAY_NAME, namespace: EDGE_NAMESPACE, sectionName: HTTP_LISTENER }],
          hostnames: [host],
          rules: [{ backendRefs: [{ name: pop.app, port: 80 }] }],
        },
      } as never),
    );
    const routesMs = Date.now() - t0;
    t0 = Date.now();
    await waitUntil(
      `the edge accepts all ${o.hosts} bench routes`,
      async () => {
        const list = (await env.k.objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute', ns)) as {
          items: {
            metadata: { labels?: Record<string, string> };
            status?: { parents?: { conditions?: { type: string; status: string }[] }[] };
          }[];
        };
        const accepted = list.items.filter(
          (r) =>
            r.metadata.labels?.[LABEL] &&
            r.status?.parents?.some((p) => p.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True')),
        ).length;
        return accepted === o.hosts || false;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    const acceptedMs = Date.now() - t0;
    o.log(`domains --all: ${o.hosts} routes created in ${routesMs} ms, accepted after ${acceptedMs} ms more`);

    const runs: DomainsAllRun[] = [];
    // Round after round over the concurrencies, so that a drift in the machine's load touches each of them alike.
    for (let i = 0; i < o.runs; i++)
      for (const concurrency of o.concurrencies) {
        t0 = Date.now();
        const r = await execa(
          'node',
          [o.bin, 'domains', 'check', '--all', '--json', '--concurrency', String(concurrency)],
          { reject: false },
        );
        const ms = Date.now() - t0;
        const report = JSON.parse(r.stdout) as DomainsReport;
        const { correct, bench } = recount(report, names);
        const hostMs = report.hosts.map((h) => h.durationMs).sort((a, b) => a - b);
        const run: DomainsAllRun = {
          concurrency,
          ms,
          hostsPerSecond: Math.round((report.hosts.length / (ms / 1000)) * 10) / 10,
          exitCode: r.exitCode,
          hosts: report.hosts.length,
          summaryCorrect: correct,
          summary: report.summary.counts,
          benchHosts: bench,
          hostMs: { median: hostMs[Math.floor(hostMs.length / 2)] ?? 0, max: hostMs.at(-1) ?? 0 },
        };
        runs.push(run);
        o.log(
          `domains check --all --concurrency ${concurrency}: ${report.hosts.length} hosts in ${(ms / 1000).toFixed(1)} s (${run.hostsPerSecond} hosts/s; one host ${run.hostMs.median} ms median, ${run.hostMs.max} ms max), exit ${r.exitCode}, summary ${correct ? 'correct' : 'WRONG'}; bench hosts ${JSON.stringify(bench)}`,
        );
      }
    return { routedHosts: o.hosts, setupMs: { deploy: deployMs, routes: routesMs, accepted: acceptedMs }, runs };
  } finally {
    await labDown(execRunner);
  }
}
