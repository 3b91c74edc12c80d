/**
 * Checks that several scenarios share, each a converging probe with its evidence. A scenario composes these
 * (or writes its own); the names are the check names that reports and fault twins refer to.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { type Condition, conditionsOf } from '../facts/cluster-view.ts';
import { converge } from '../probes/converge.ts';
import type { NetnsHttpResult } from '../probes/http.ts';
import type { AppFixture } from '../stack/app-fixture.ts';
import type { ScenarioContext } from './define.ts';

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
      { timeoutMs: ctx.convergeMs, intervalMs: 300 },
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
      { timeoutMs: ctx.convergeMs, intervalMs: 300 },
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
  const zoneOf = (h: string) => h.split('.').slice(-2).join('.');
  const hosts = [...app.customDomains, ...app.aliases];
  const records = [
    ...hosts.map((h) => ({ name: h, type: 'A' as const, value: env.lbIp })),
    ...(app.wwwRedirect && app.customDomains[0]
      ? [{ name: `www.${app.customDomains[0]}`, type: 'CNAME' as const, value: app.customDomains[0] }]
      : []),
  ];
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
