/**
 * Checks that several scenarios share, each a converging probe with its evidence, and the helpers a body waits or
 * samples with (`within`, `settled`, `sample`), so that no body writes its own loop. A scenario composes these (or
 * writes its own check); the names are the check names that reports and fault twins refer to.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { type Convergence, StopWaiting, converge, lastSeen } from '../converge.ts';
import { type Condition, conditionsOf } from '../facts/cluster-view.ts';
import type { NetnsHttpResult } from '../probes/http.ts';
import type { AppFixture } from '../stack/app-fixture.ts';
import { userZone } from '../stack/instance.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import type { ScenarioContext } from './define.ts';

/**
 * A scenario bound of the timeouts table in this run: as the table says in a conformance run, scaled down with
 * ctx.convergeMs in a fault-twin run (TIMEOUTS.faultTwinConverge / TIMEOUTS.converge).
 */
export function within(ctx: Pick<ScenarioContext, 'convergeMs'>, ms: number): number {
  return Math.round((ms * ctx.convergeMs) / TIMEOUTS.converge);
}

/**
 * The convergence rule on an answer that must stop changing: `observe` is asked until it gives the same answer
 * (compared as JSON) twice in a row, both `ready`, within `timeoutMs`. Gives the latest answer, settled or not
 * (throws when `observe` never answered), and the record of the attempts.
 */
export async function settled<A>(
  observe: () => Promise<A>,
  ready: (a: A) => boolean,
  o: { timeoutMs: number; intervalMs?: number },
): Promise<{ settled: boolean; answer: A; convergence: Convergence<A> }> {
  let previous: string | undefined;
  let latest: { answer: A } | undefined;
  const c = await converge(
    async () => {
      const a = await observe();
      latest = { answer: a };
      const key = JSON.stringify(a);
      const ok = ready(a) && key === previous;
      previous = ready(a) ? key : undefined;
      return { ok, evidence: a };
    },
    { successes: 1, timeoutMs: o.timeoutMs, intervalMs: o.intervalMs ?? POLL.slow, keep: 4 },
  );
  if (!latest) throw new Error(`no answer within ${o.timeoutMs} ms: ${lastSeen(c)}`);
  return { settled: c.ok, answer: latest.answer, convergence: c };
}

/**
 * A sample: up to `n` calls one after another (requests whose answers measure a distribution: which pods, which
 * app), bounded in count and in time (TIMEOUTS.sample); `enough` ends it early once the answers so far suffice.
 * It runs on the convergence rule (done = the sample is complete), and a call that throws ends it with that error.
 */
export async function sample<R>(
  n: number,
  call: (i: number) => Promise<R>,
  o: { timeoutMs?: number; enough?: (answers: R[]) => boolean } = {},
): Promise<R[]> {
  const answers: R[] = [];
  await converge(
    async () => {
      try {
        answers.push(await call(answers.length));
      } catch (err) {
        throw new StopWaiting(err);
      }
      return { ok: answers.length >= n || (o.enough?.(answers) ?? false), evidence: answers.length };
    },
    { successes: 1, timeoutMs: o.timeoutMs ?? TIMEOUTS.sample, intervalMs: 0, keep: 2 },
  );
  return answers;
}

export interface EchoReply {
  pod: string;
  app: string;
  host: string;
  path: string;
  tls: boolean;
}

export function parseEcho(r: NetnsHttpResult): EchoReply | undefined {
  try {
    return JSON.parse(r.body) as EchoReply;
  } catch {
    return undefined;
  }
}

/** Evidence of one HTTP exchange, short enough for a report. */
export function exchange(url: string, r: NetnsHttpResult) {
  return {
    url,
    status: r.status,
    location: r.location,
    remoteIp: r.remoteIp,
    sslVerifyResult: r.sslVerifyResult,
    error: r.error,
    bodyExcerpt: r.body.slice(0, 300),
    timeMs: r.timeTotalMs,
  };
}

/** `host` resolves (public DNS, from the internet) to the load balancer, 3 times in a row. */
export function resolvesToLb(ctx: ScenarioContext, host: string, name = `${host} resolves to the load balancer`) {
  return ctx.check(name, async () => {
    const c = await converge(
      async () => {
        const r = await ctx.env.dns.resolve(host, 'A');
        return {
          ok: r.addresses.length > 0 && r.addresses.every((a) => a === ctx.env.lbIp),
          evidence: { chain: r.chain, addresses: r.addresses },
        };
      },
      { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
    );
    const last = c.attempts.at(-1)?.evidence;
    return {
      ok: c.ok,
      evidence: c,
      message: `expected A ${ctx.env.lbIp}, found ${JSON.stringify(last?.addresses ?? [])} (chain ${JSON.stringify(last?.chain ?? [])})`,
    };
  });
}

/** `scheme://host/path` answers 200 from the app's own pods, 3 times in a row. */
export function appAnswers(
  ctx: ScenarioContext,
  app: AppFixture,
  host: string,
  scheme: 'http' | 'https',
  name = `${scheme}://${host} answers 200 from the app`,
) {
  return ctx.check(name, async () => {
    const url = `${scheme}://${host}/skyprobe`;
    const c = await converge(
      async () => {
        const r = await ctx.env.http(url);
        const echo = parseEcho(r);
        return {
          ok: r.status === 200 && echo?.app === `${app.org}/${app.app}` && echo.host === host,
          evidence: exchange(url, r),
        };
      },
      { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
    );
    const last = c.attempts.at(-1)?.evidence;
    return {
      ok: c.ok,
      evidence: c,
      message: `expected 200 from ${app.org}/${app.app}, last answer: ${last?.status ?? 'none'} ${last?.error ?? last?.bodyExcerpt?.slice(0, 80) ?? ''}`,
    };
  });
}

/** Conditions of an object's status (or of one parent status of a route). */
export function conditions(o: { status?: { conditions?: Condition[] } } | undefined): Condition[] {
  return conditionsOf(o?.status);
}

export async function readObject(
  ctx: ScenarioContext,
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): Promise<KubernetesObject & Record<string, unknown>> {
  return (await ctx.env.k.objects.read({ apiVersion, kind, metadata: { name, namespace } })) as KubernetesObject &
    Record<string, unknown>;
}

/** The user, at their DNS provider, points every custom host of the app at the load balancer (www by CNAME). */
export async function userPointsDomainsAtLb(env: ScenarioContext['env'], app: AppFixture): Promise<void> {
  await usersPointDomainsAtLb(env, [app]);
}

/** The same for many apps at once: one edit per zone (a fleet's users, SC-01). */
export async function usersPointDomainsAtLb(env: ScenarioContext['env'], apps: AppFixture[]): Promise<void> {
  const zoneOf = userZone;
  const records = apps.flatMap((app) => [
    ...[...app.customDomains, ...app.aliases].map((h) => ({ name: h, type: 'A' as const, value: env.lbIp })),
    ...(app.wwwRedirect && app.customDomains[0]
      ? [{ name: `www.${app.customDomains[0]}`, type: 'CNAME' as const, value: app.customDomains[0] }]
      : []),
  ]);
  for (const zone of new Set(records.map((r) => zoneOf(r.name)))) {
    const mine = new Set(records.filter((r) => zoneOf(r.name) === zone).map((r) => r.name));
    await env.userDns.edit(
      zone,
      (r) => mine.has(r.name),
      records.filter((r) => zoneOf(r.name) === zone),
    );
  }
}

/** Deploy the app and have the user point its domains at the edge: the usual starting state. */
export async function deployWithUserDns(
  ctx: { env: ScenarioContext['env']; routing: ScenarioContext['routing'] },
  name: string,
): Promise<void> {
  const app = ctx.env.app(name);
  await userPointsDomainsAtLb(ctx.env, app);
  await ctx.env.deploy(app, ctx.routing);
}

/** Redeploy an app as Satusky would: the revert of most faults. */
export const redeploy =
  (name: string) =>
  async ({ env, routing }: { env: ScenarioContext['env']; routing: ScenarioContext['routing'] }) => {
    await deployWithUserDns({ env, routing }, name);
  };

/** An HTTPRoute on satusky-edge that a fault adds below the platform, and its revert removes. */
export function faultRoute(
  name: string,
  namespace: string,
  section: string,
  spec: { hostnames?: string[]; rules: unknown[] },
) {
  const ref = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace } };
  return {
    add: (env: ScenarioContext['env']) =>
      env.k.objects.create({
        ...ref,
        spec: { parentRefs: [{ name: 'satusky-edge', namespace: 'satusky-edge', sectionName: section }], ...spec },
      } as never),
    remove: (env: ScenarioContext['env']) => env.k.objects.delete(ref as never).catch(() => undefined),
  };
}
