/**
 * SC-01: a fleet of N HTTPS hosts (`skyprobe run --scale N`, default 8: two apps) made by the fixture generator
 * (orgs x apps of custom domains, one alias and www, one small backend each; 4 hosts an app, 16 from 64 hosts on), deployed in the run's layout
 * (`--layout`): every host has its listener on the edge, and every host passes the four facts and the endpoint,
 * established by the same code as `skyprobe domains check --all` (env.facts). Where the layout cannot carry the
 * fleet, the first check fails with the finding: which hosts got no listener, and the API's reason (listener-per-host
 * past 64 listeners), or the ListenerSets' status and what the edge answers (listenerset on an edge without
 * ListenerSet support).
 *
 * Its orgs are its own, one fleet per routing mode (`sc1c-<i>`, `sc1t-<i>`). Past the default size it must run alone (`--suite scale`): in listener-per-host
 * it fills the one Gateway's 64 listeners, and its hundreds of hosts slow every scenario that checks all routed hosts.
 */
import { converge } from '../../harness/converge.ts';
import type { DomainsReport, FactName } from '../../harness/facts/fact.ts';
import { defineScenario, type ScenarioContext } from '../../harness/scenario/define.ts';
import type { ScenarioEnv } from '../../harness/scenario/env.ts';
import { reportHost } from '../../harness/scenario/report-host.ts';
import { rolledOut } from '../../harness/scenario/delivery-faults.ts';
import { userPointsDomainsAtLb, usersPointDomainsAtLb, within } from '../../harness/scenario/steps.ts';
import pLimit from 'p-limit';
import { appHosts, type AppFixture } from '../../harness/stack/app-fixture.ts';
import { readShards } from '../../harness/stack/edge-gateways.ts';
import { fleetApp, fleetHostsPerApp, fleetOfHosts } from '../../harness/stack/generate.ts';
import { listenerName, orgNamespace, render } from '../../harness/stack/render.ts';
import type { Routing } from '../../harness/stack/routing.ts';
import { scaleFromEnv } from '../../harness/stack/scale.ts';
import { editListeners } from '../../harness/stack/deploy.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/**
 * Its orgs, one fleet per routing mode (`sc1c-<i>`, `sc1t-<i>`): its two routing runs go side by side (it is not
 * `alone`), and one fleet for both made each run switch the other's apps to its own mode (seen at 256 hosts, session 6).
 */
const prefix = (routing: Routing) => `sc1${routing === 'current' ? 'c' : 't'}-`;
/** Apps whose deploy (one at a time) and pod start overlap. */
const DEPLOYS_AT_ONCE = 4;
/** Its fleet: apps of 4 hosts, of 16 from 64 hosts on (generate.ts fleetHostsPerApp). */
const fleet = (routing: Routing) =>
  fleetOfHosts(scaleFromEnv(), prefix(routing), fleetHostsPerApp(scaleFromEnv())).apps;
const hostsOf = (apps: AppFixture[]) => apps.flatMap((a) => appHosts(a).map((h) => h.host));
/** What setup found per routing mode: the apps the API refused, with the reason (the finding's "why"). */
const refusals = new Map<Routing, { app: string; hosts: string[]; reason: string }[]>();

const PLACED = 'every host of the fleet has its HTTPS listener on the edge, accepted';
const FACTS: [FactName, string][] = [
  ['metadata', "metadata: the platform's record names the deployment the route serves, for every host"],
  ['routing', 'routing: one accepted claim per host, backend with ready endpoints'],
  ['dns', 'DNS: every host resolves to the edge, no stray records, CAA allows the CA'],
  ['tls', 'TLS: the edge serves a valid certificate for every host, chaining to the trust root'],
];
const ENDPOINT = 'endpoint: over HTTP and HTTPS every host is answered by the app (or its declared redirect)';

type ListenerSetObj = {
  metadata: { name: string; namespace: string };
  spec: { listeners: { name: string; hostname: string }[] };
  status?: { conditions?: { type: string; status: string; reason?: string }[]; listeners?: unknown[] };
};

/** Where each host's listener is now: its Gateway shard, or its ListenerSet and whether the edge accepted it. */
async function placement(env: ScenarioEnv, apps: AppFixture[], routing: Routing) {
  const onGateways = new Map<string, string>();
  for (const s of await readShards(env.k)) for (const l of s.listeners) onGateways.set(l, s.name);
  const sets = new Map<string, { set: string; accepted: boolean }>();
  const setStatus: unknown[] = [];
  for (const ns of new Set(apps.map((a) => orgNamespace(a.org)))) {
    const list = await env.k.objects
      .list('gateway.networking.k8s.io/v1', 'ListenerSet', ns)
      .catch(() => ({ items: [] as unknown[] }));
    for (const ls of list.items as unknown as ListenerSetObj[]) {
      const accepted = (ls.status?.conditions ?? []).some((c) => c.type === 'Accepted' && c.status === 'True');
      setStatus.push({ listenerSet: `${ns}/${ls.metadata.name}`, status: ls.status ?? null });
      for (const l of ls.spec.listeners) sets.set(l.name, { set: `${ns}/${ls.metadata.name}`, accepted });
    }
  }
  const hosts = apps.flatMap((a) =>
    render(a, routing).listeners.map((l) => {
      const gw = onGateways.get(l.name);
      const ls = sets.get(l.name);
      return {
        host: l.hostname,
        app: `${a.org}/${a.app}`,
        where: gw ? `Gateway ${gw}` : ls ? `ListenerSet ${ls.set}` : undefined,
        accepted: gw !== undefined || (ls?.accepted ?? false),
      };
    }),
  );
  const shards = [...new Set(onGateways.values())].map((g) => ({
    gateway: g,
    listeners: [...onGateways.values()].filter((x) => x === g).length,
  }));
  return { hosts, shards, listenerSets: setStatus };
}

/** The fleet's facts, converged as FX-01's: every host's four facts and endpoint pass 3 reads in a row. */
async function fleetFacts(ctx: ScenarioContext, hosts: string[]) {
  let report: DomainsReport | undefined;
  const good = (h: DomainsReport['hosts'][number]) =>
    FACTS.every(([n]) => h.facts[n].status === 'pass') && h.endpoint.status === 'pass';
  const c = await converge(
    async () => {
      report = await ctx.env.facts(hosts);
      const bad = report.hosts.filter((h) => !good(h));
      return {
        ok: bad.length === 0,
        evidence: {
          hosts: report.hosts.length,
          failing: bad.length,
          first: bad
            .slice(0, 5)
            .map(
              (h) =>
                `${h.host}: ${FACTS.map(([n]) => `${n}=${h.facts[n].status}`).join(' ')} endpoint=${h.endpoint.status}`,
            ),
        },
      };
    },
    // The fleet's certificates and routes take longer than one app's: a bound that grows with the fleet.
    {
      timeoutMs: within(ctx, TIMEOUTS.converge + hosts.length * TIMEOUTS.scaleHostGreen),
      intervalMs: POLL.slow,
      keep: 3,
    },
  );
  return { report: report as DomainsReport, convergence: { ok: c.ok, elapsedMs: c.elapsedMs, attempts: c.attempts } };
}

export default defineScenario({
  id: 'SC-01',
  title: 'A fleet of N hosts: every host placed on the edge, four facts and endpoint pass',
  features: ['Scale', 'Gateway', 'HTTPRoute', 'Ingress', 'DomainFacts', 'CustomDomain', 'Alias', 'WwwRedirect'],
  apps: [],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  runBoundMs: () => TIMEOUTS.scenarioRun + scaleFromEnv() * TIMEOUTS.scaleHostRun,
  async setup({ env, routing }) {
    const apps = fleet(routing);
    // A fleet of another size from an earlier run: its extra apps go, so that the fleet is what this run asks.
    const wanted = new Set(apps.map((a) => `${a.org}/${a.app}`));
    for (const m of env.metadata().filter((x) => x.org.startsWith(prefix(routing)) && !wanted.has(`${x.org}/${x.app}`)))
      for (const shape of [fleetOfHosts(4, prefix(routing), 4).shape, fleetOfHosts(64, prefix(routing), 16).shape])
        await env.remove(fleetApp(m.org, m.app, shape), m.routing);
    const refused: { app: string; hosts: string[]; reason: string }[] = [];
    await usersPointDomainsAtLb(env, apps);
    // Deploys run one at a time (deploy.ts); a few at once here lets one app's pods start while the next deploys.
    // Atomic: a refused app leaves nothing applied (deploy.ts); the refusal is the finding, not an error here.
    await pLimit(DEPLOYS_AT_ONCE).map(apps, (a) =>
      env.deploy(a, routing).catch((err: unknown) => {
        if (!/the API refused/.test((err as Error).message)) throw err;
        refused.push({ app: `${a.org}/${a.app}`, hosts: hostsOf([a]), reason: (err as Error).message });
      }),
    );
    refusals.set(routing, refused);
  },
  async body(ctx) {
    const apps = fleet(ctx.routing);
    const hosts = hostsOf(apps);
    await ctx.check(PLACED, async () => {
      const p = await placement(ctx.env, apps, ctx.routing);
      const missing = p.hosts.filter((h) => !h.accepted);
      const refused = refusals.get(ctx.routing) ?? [];
      // What the edge answers for hosts whose listener it did not take (a few, as the facts give it).
      const answers =
        missing.length > 0
          ? (await ctx.env.facts(missing.slice(0, 3).map((h) => h.host))).hosts.map((h) => ({
              host: h.host,
              routing: h.facts.routing.summary,
              tls: h.facts.tls.summary,
              endpoint: h.endpoint.summary,
            }))
          : [];
      return {
        ok: missing.length === 0,
        evidence: {
          fleet: { apps: apps.length, hosts: hosts.length, httpsListeners: p.hosts.length },
          shards: p.shards,
          listenerSets: p.listenerSets.slice(0, 4),
          missing: missing.map((h) => ({ host: h.host, app: h.app, on: h.where ?? 'nowhere' })),
          refused,
          edgeAnswers: answers,
        },
        message:
          missing.length === 0
            ? ''
            : `${missing.length} of ${p.hosts.length} HTTPS hosts have no accepted listener (${missing
                .slice(0, 4)
                .map((h) => `${h.host} ${h.where ? `on ${h.where}, not accepted by the edge` : 'on no Gateway'}`)
                .join(', ')}${missing.length > 4 ? ', ...' : ''})${refused[0] ? `; why: ${refused[0].reason}` : ''}`,
      };
    });
    const { report, convergence } = await fleetFacts(ctx, hosts);
    ctx.note(
      'hosts',
      report.hosts.map((h) => reportHost(h, ctx.routing)),
    );
    ctx.note('fleet', { apps: apps.length, hosts: hosts.length, factsConverged: convergence });
    for (const [name, title] of FACTS)
      await ctx.check(title, async () => {
        const bad = report.hosts.filter((h) => h.facts[name].status !== 'pass');
        return {
          ok: bad.length === 0,
          evidence: {
            hosts: report.hosts.length,
            failing: bad.slice(0, 20).map((h) => ({ host: h.host, ...h.facts[name] })),
            convergence: { ok: convergence.ok, elapsedMs: convergence.elapsedMs },
          },
          message: bad
            .slice(0, 5)
            .map((h) => `${h.host}: ${h.facts[name].status}: ${h.facts[name].summary}`)
            .join('; '),
        };
      });
    await ctx.check(ENDPOINT, async () => {
      const bad = report.hosts.filter((h) => h.endpoint.status !== 'pass');
      return {
        ok: bad.length === 0,
        evidence: {
          hosts: report.hosts.length,
          failing: bad.slice(0, 20).map((h) => ({ host: h.host, ...h.endpoint })),
        },
        message: bad
          .slice(0, 5)
          .map((h) => `${h.host}: ${h.endpoint.status}: ${h.endpoint.summary}`)
          .join('; '),
      };
    });
  },
  faults: [
    {
      name: "one host's listener dropped from its Gateway",
      failingCheck: PLACED,
      async inject({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        const name = listenerName(a.generatedHost);
        const shard = (await readShards(env.k)).find((s) => s.listeners.includes(name));
        await editListeners(env.k, new Set([name]), [], { gateway: shard?.name });
      },
      revert: ({ env, routing }) => env.deploy(fleet(routing)[0] as AppFixture, routing).then(() => undefined),
    },
    {
      name: 'the platform records another deployment for one app',
      failingCheck: FACTS[0]?.[1] as string,
      async inject({ env, routing }) {
        const [a, b] = fleet(routing) as [AppFixture, AppFixture];
        env.rewriteMetadata(a, (m) => ({ ...m, deployment: `${orgNamespace(b.org)}/${b.app}` }));
      },
      revert: ({ env, routing }) => env.deploy(fleet(routing)[0] as AppFixture, routing).then(() => undefined),
    },
    {
      name: "one app's pods gone (scaled to zero)",
      failingCheck: FACTS[1]?.[1] as string,
      async inject({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        await env.k.apps.patchNamespacedDeployment({
          name: a.app,
          namespace: orgNamespace(a.org),
          body: [{ op: 'replace', path: '/spec/replicas', value: 0 }],
        });
      },
      revert: async ({ env, routing }) => {
        const a = fleet(routing)[0] as AppFixture;
        await env.deploy(a, routing);
        await rolledOut(env, orgNamespace(a.org), a.app);
      },
    },
    {
      name: "the user drops one custom domain's A record",
      failingCheck: FACTS[2]?.[1] as string,
      async inject({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        const host = a.customDomains[0] as string;
        await env.userDns.edit(host.split('.').slice(-2).join('.'), (r) => r.name === host, []);
      },
      revert: ({ env, routing }) => userPointsDomainsAtLb(env, fleet(routing)[0] as AppFixture),
    },
    {
      name: "one host's certificate Secret replaced by a self-signed one",
      failingCheck: FACTS[3]?.[1] as string,
      async inject({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        const h = render(a, routing).hosts[0];
        if (h) await env.selfSignedSecret(h.tlsSecret.namespace, h.tlsSecret.name, h.host);
      },
      async revert({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        const h = render(a, routing).hosts[0];
        // cert-manager issues it again from a Secret that is gone.
        if (h)
          await env.k.core
            .deleteNamespacedSecret({ name: h.tlsSecret.name, namespace: h.tlsSecret.namespace })
            .catch(() => undefined);
      },
    },
    {
      name: "one app's Service targetPort where nothing listens",
      // The routing fact is cross-checked against what the edge answers (502: the Service's targetPort reaches no
      // listening pod), so the first check to fail is routing's, naming the Service, before the endpoint's.
      failingCheck: (FACTS[1] as [FactName, string])[1],
      async inject({ env, routing }) {
        const a = fleet(routing)[0] as AppFixture;
        await env.k.core.patchNamespacedService({
          name: a.app,
          namespace: orgNamespace(a.org),
          body: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 9090 }],
        });
      },
      revert: ({ env, routing }) => env.deploy(fleet(routing)[0] as AppFixture, routing).then(() => undefined),
    },
  ],
});
