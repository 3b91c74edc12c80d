/**
 * `npm run bench -- --only certificate`: certificate created -> valid HTTPS served through the load balancer, per
 * issuance profile, each run on a fresh lab (its stack in that profile), with where the time went. The phases are
 * when the harness first saw each object (API watches, ms), the edge's access log for the challenge path (Traefik's
 * own StartUTC: the self-check's and Pebble's requests) and the TLS probe through the load balancer.
 */
import * as k8s from '@kubernetes/client-node';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.ts';
import { waitUntil } from '../harness/converge.ts';
import { execRunner } from '../harness/exec/runner.ts';
import type { Progress } from '../harness/log.ts';
import { labDown, labUp } from '../harness/providers/embedded/lab.ts';
import { stackPaths } from '../harness/providers/embedded/stack.ts';
import { labEnv } from '../harness/scenario/envs/lab-env.ts';
import type { Issuance } from '../harness/stack/issuance.ts';
import type { Routing } from '../harness/stack/routing.ts';
import { POLL, TIMEOUTS } from '../harness/timeouts.ts';

const quiet: Progress = { start() {}, info() {}, end() {} };

/** First-seen times (ms since the epoch) of what an issuance goes through. */
type Seen = Record<string, number>;

const CHALLENGE_PATH = '/.well-known/acme-challenge/';

/** Watch the cluster's issuance objects and note when each state was first seen. */
async function watchIssuance(
  kc: k8s.KubeConfig,
  seen: Seen,
  challenge: { url?: string; key?: string },
): Promise<AbortController[]> {
  const note = (key: string) => {
    seen[key] ??= Date.now();
  };
  type Obj = {
    metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    status?: {
      conditions?: { type: string; status: string }[];
      state?: string;
      presented?: boolean;
      processing?: boolean;
    };
    data?: Record<string, string>;
    spec?: { token?: string; key?: string; dnsName?: string };
  };
  const ready = (o: Obj) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const w = new k8s.Watch(kc);
  const on = (path: string, params: Record<string, string>, f: (o: Obj) => void) =>
    w.watch(
      path,
      params,
      (_type, o: Obj) => f(o),
      () => undefined,
    );
  return Promise.all([
    on('/apis/cert-manager.io/v1/certificates', {}, (o) => {
      note('certificateCreated');
      if (ready(o)) note('certificateReady');
    }),
    on('/apis/cert-manager.io/v1/certificaterequests', {}, () => note('certificateRequestCreated')),
    on('/apis/acme.cert-manager.io/v1/orders', {}, (o) => {
      note('orderCreated');
      if (o.status?.state === 'valid') note('orderValid');
    }),
    on('/apis/acme.cert-manager.io/v1/challenges', {}, (o) => {
      note('challengeCreated');
      if (o.spec?.token && o.spec.dnsName) {
        challenge.url = `http://${o.spec.dnsName}${CHALLENGE_PATH}${o.spec.token}`;
        challenge.key = o.spec.key;
      }
      if (o.status?.presented) note('challengePresented');
      if (o.status?.state === 'valid') note('challengeValid');
      if (o.status?.state === 'invalid') note('challengeInvalid');
    }),
    on('/api/v1/pods', { labelSelector: 'acme.cert-manager.io/http01-solver=true' }, (o) => {
      note('solverPodCreated');
      if (ready(o)) note('solverPodReady');
    }),
    on(
      '/apis/gateway.networking.k8s.io/v1/httproutes',
      { labelSelector: 'acme.cert-manager.io/http01-solver=true' },
      () => note('solverRouteCreated'),
    ),
    on('/apis/networking.k8s.io/v1/ingresses', { labelSelector: 'acme.cert-manager.io/http01-solver=true' }, () =>
      note('solverRouteCreated'),
    ),
    on('/api/v1/secrets', {}, (o) => {
      if (o.metadata.annotations?.['cert-manager.io/issuer-name'] && o.data?.['tls.crt']) note('secretIssued');
    }),
  ]);
}

/** The edge's requests for the challenge path: when (Traefik's StartUTC) and with what status. */
function challengeRequests(accessLog: string): { at: number; status: number }[] {
  if (!existsSync(accessLog)) return [];
  return readFileSync(accessLog, 'utf8')
    .split('\n')
    .filter((l) => l.includes(CHALLENGE_PATH))
    .map((l) => JSON.parse(l) as { StartUTC: string; DownstreamStatus: number })
    .map((e) => ({ at: Date.parse(e.StartUTC), status: e.DownstreamStatus }));
}

export interface CertificateRun {
  issuance: Issuance;
  routing: Routing;
  host: string;
  /** Certificate created (first seen) -> the load balancer serves a valid, trusted certificate for the host. */
  createdToValidHttpsMs: number;
  /** Each phase's first-seen time, ms after the Certificate was first seen. */
  phases: Record<string, number>;
  /** The challenge path's requests at the edge, ms after the Certificate, with their status. */
  challengeRequests: { atMs: number; status: number }[];
}

/** One measurement on a fresh lab: deploy the app, then wait for valid HTTPS through the load balancer. */
export async function certificateRun(issuance: Issuance, routing: Routing): Promise<CertificateRun> {
  const state = await labUp({ nodes: 2, run: execRunner, progress: quiet, stack: true, issuance });
  const aborts: AbortController[] = [];
  try {
    const env = labEnv();
    const seen: Seen = {};
    const challenge: { url?: string; key?: string } = {};
    aborts.push(...(await watchIssuance(env.k.kc, seen, challenge)));
    const app = env.app('pop');
    const host = app.generatedHost;
    // The solver's answer through the load balancer, as Pebble will ask for it: when the edge first serves it.
    const served = waitUntil(
      'the challenge served through the load balancer',
      async () => {
        if (!challenge.url) return false;
        const r = await env.http(challenge.url);
        return r.status === 200 && r.body.trim() === challenge.key && (seen.routeServed ??= Date.now());
      },
      { timeoutMs: TIMEOUTS.certificateIssued, intervalMs: 100 },
    ).catch(() => undefined);
    await env.deploy(app, routing);
    await waitUntil(
      `valid HTTPS for ${host} through the load balancer`,
      async () => {
        const t = await env.tls(host);
        // What the edge served, each kind first seen (the default, the temporary, Pebble's certificate).
        const served = t.chain[0] ? `${t.chain[0].issuer.replace(/ [0-9a-f]{6}$/, '')}` : (t.error ?? 'nothing');
        seen[`served ${served}${t.verified ? '' : ` (${t.verifyError ?? 'unverified'})`}`] ??= Date.now();
        return t.verified && (t.chain[0]?.sans ?? []).includes(host);
      },
      { timeoutMs: TIMEOUTS.certificateIssued, intervalMs: 100 },
    );
    const validAt = Date.now();
    await served;
    await waitUntil('the Certificate seen Ready', async () => seen.certificateReady !== undefined, {
      timeoutMs: TIMEOUTS.certificateIssued,
      intervalMs: POLL.local,
    });
    const t0 = seen.certificateCreated as number;
    const phases = Object.fromEntries(
      Object.entries({ ...seen, validHttps: validAt })
        .sort(([, a], [, b]) => a - b)
        .map(([k, v]) => [k, v - t0]),
    );
    return {
      issuance,
      routing,
      host,
      createdToValidHttpsMs: validAt - t0,
      phases,
      challengeRequests: challengeRequests(stackPaths(state.dir).accessLog).map((r) => ({
        atMs: r.at - t0,
        status: r.status,
      })),
    };
  } finally {
    for (const a of aborts) a.abort();
    // The lab's logs (Traefik, cert-manager, Pebble) outlive it, for where the time went.
    cpSync(join(state.dir, 'logs'), join(repoRoot(), 'reports', `bench-certificate-logs-${issuance}-${Date.now()}`), {
      recursive: true,
    });
    await labDown(execRunner);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** `runs` measurements per profile, alternating the profiles, with each phase's median. */
export async function benchCertificate(o: {
  issuances: Issuance[];
  runs: number;
  routing: Routing;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const byProfile = new Map<Issuance, CertificateRun[]>(o.issuances.map((i) => [i, []]));
  for (let i = 0; i < o.runs; i++)
    for (const issuance of o.issuances) {
      const r = await certificateRun(issuance, o.routing);
      byProfile.get(issuance)?.push(r);
      o.log(
        `certificate ${issuance} run ${i + 1}: created -> valid HTTPS ${r.createdToValidHttpsMs} ms; ${JSON.stringify(r.phases)}; challenge requests ${JSON.stringify(r.challengeRequests)}`,
      );
    }
  return Object.fromEntries(
    [...byProfile].map(([issuance, runs]) => {
      const keys = [...new Set(runs.flatMap((r) => Object.keys(r.phases)))];
      return [
        issuance,
        {
          createdToValidHttpsMs: {
            runs: runs.map((r) => r.createdToValidHttpsMs),
            median: median(runs.map((r) => r.createdToValidHttpsMs)),
          },
          phaseMedians: Object.fromEntries(
            keys
              .map((k) => [k, median(runs.flatMap((r) => (r.phases[k] === undefined ? [] : [r.phases[k]])))] as const)
              .sort(([, a], [, b]) => a - b),
          ),
          runs,
        },
      ];
    }),
  );
}
