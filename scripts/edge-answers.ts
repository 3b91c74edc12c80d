/**
 * Measure what the edge answers in each delivery case (the table in docs/architecture.md, "The endpoint", and
 * harness/facts/endpoint.recorded.ts): on the running lab, deploy shop in the given routing mode, make each case
 * happen, ask both schemes from the lab's internet host (curl --resolve to the load balancer) and print one JSON
 * line per answer with its status, headers, body, served certificate and the edge's access-log line for it.
 * A case is asked once its answer has differed from the healthy one 3 times in a row (20 s bound); one that never
 * did is reported as `unchanged`. 2026-12-01: the edge's own answers (404, 502, 503, 500, 301, default certificate)
 * agreed byte for byte between two runs per mode; in the second run, with a 2-in-a-row rule, three cases (ECHO_HOSTS
 * over https and the selector in target, no endpoints in current) still showed the healthy answer when asked.
 *
 *   flock /tmp/skyprobe-lab.lock bash -c 'npx skyprobe lab up --keep && npx tsx scripts/edge-answers.ts current \
 *     > reports/edge-answers-current.jsonl; npx skyprobe lab down'
 */
import { execRunner } from '../harness/exec/runner.ts';
import { converge } from '../harness/converge.ts';
import { certInfo, servedChain } from '../harness/probes/tls.ts';
import { DELIVERY_FAULTS, rolledOut } from '../harness/scenario/delivery-faults.ts';
import { labEnv } from '../harness/scenario/envs/lab-env.ts';
import { deployWithUserDns } from '../harness/scenario/steps.ts';
import type { Routing } from '../harness/stack/routing.ts';

const routing = (process.argv[2] ?? 'current') as Routing;
const env = labEnv();
const shop = env.app('shop');
const hosts = [shop.generatedHost, 'shop.example.com'];

async function ask(label: string, host: string, scheme: 'http' | 'https') {
  const port = scheme === 'http' ? 80 : 443;
  const before = env.edgeAccessLog().length;
  const r = await env.http(`${scheme}://${host}/`, { resolve: `${host}:${port}:${env.lbIp}`, headers: true });
  const chain =
    scheme === 'https' && r.status === 0
      ? await servedChain(execRunner, host, env.lbIp, env.pebbleRoot, { netns: env.internet, timeoutS: 3 })
      : undefined;
  // The access log is written after the answer: wait (bounded) for the request's line.
  const log = await converge(
    async () => {
      const lines = env
        .edgeAccessLog()
        .slice(before)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.RequestHost === host);
      return { ok: lines.length > 0 || r.status === 0, evidence: lines };
    },
    { successes: 1, timeoutMs: 3_000, intervalMs: 100 },
  );
  const line = log.attempts.at(-1)?.evidence[0];
  const { date: _date, ...headers } = r.headers ?? {};
  console.log(
    JSON.stringify({
      label,
      routing,
      url: `${scheme}://${host}/`,
      status: r.status,
      curlExit: r.curlExit,
      error: r.error,
      sslVerifyResult: r.sslVerifyResult,
      location: r.location,
      headers,
      body: r.body,
      served: chain?.pems[0] ? certInfo(chain.pems[0]) : chain?.error,
      log: line && {
        RouterName: line.RouterName,
        ServiceURL: line.ServiceURL,
        OriginStatus: line.OriginStatus,
        DownstreamStatus: line.DownstreamStatus,
        RequestHost: line.RequestHost,
      },
    }),
  );
}

/** What tells one answer from another here: the status and the app the echo backend names (replicas alternate). */
async function signature(host: string): Promise<string> {
  const r = await env.http(`http://${host}/`, { resolve: `${host}:80:${env.lbIp}` });
  let app = r.body.slice(0, 20);
  try {
    app = String((JSON.parse(r.body) as { app?: string }).app);
  } catch {
    // not the echo backend
  }
  return `${r.status} ${app}`;
}

/** Make a case, wait (bounded) until the first host's answer has changed twice in a row, ask, undo. */
async function measure(label: string, make: () => Promise<unknown>, undo: () => Promise<unknown>, only = hosts) {
  const healthy = await signature(only[0] as string);
  await make();
  const changed = await converge(
    async () => {
      const now = await signature(only[0] as string);
      return { ok: now !== healthy, evidence: now };
    },
    { successes: 3, timeoutMs: 20_000, intervalMs: 300 },
  );
  // Said, not hidden: a case whose answer never changed within the bound is measured again, not trusted.
  if (!changed.ok) console.log(JSON.stringify({ label, routing, unchanged: healthy, within: '20 s' }));
  for (const h of only) for (const scheme of ['http', 'https'] as const) await ask(label, h, scheme);
  await undo();
}

const redeploy = async () => {
  await deployWithUserDns({ env, routing }, 'shop');
  await rolledOut(env, 'org-acme', 'shop');
};
const service = (path: string, value: unknown) =>
  env.k.core.patchNamespacedService({ name: 'shop', namespace: 'org-acme', body: [{ op: 'replace', path, value }] });

await redeploy();
// Healthy: every host passes the check first (certificates Ready), then each is asked.
await converge(
  async () => {
    const r = await env.facts(hosts);
    return { ok: r.hosts.every((h) => h.endpoint.status === 'pass'), evidence: r.hosts.map((h) => h.endpoint.summary) };
  },
  { successes: 2, timeoutMs: 90_000, intervalMs: 1_000 },
);
for (const h of [...hosts, 'www.shop.example.com', 'nobody-routes-this.example.com'])
  for (const scheme of ['http', 'https'] as const) await ask('healthy', h, scheme);
for (const f of DELIVERY_FAULTS.filter((x) => x.routing.includes(routing)))
  await measure(
    f.name,
    () => f.inject(env, routing),
    () => f.revert(env, routing),
    f.name.startsWith('Ingress') || f.name.includes('custom domains') ? ['shop.example.com'] : hosts,
  );
await measure(
  'Service with no endpoints',
  () => service('/spec/selector', { 'app.kubernetes.io/name': 'nobody' }),
  redeploy,
);
await measure(
  'Service missing',
  () => env.k.core.deleteNamespacedService({ name: 'shop', namespace: 'org-acme' }),
  redeploy,
);
