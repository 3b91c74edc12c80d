/**
 * CD-04: the migration seam. The same app in current routing (Ingress for custom domains) and in target routing
 * (Gateway API for everything) must look the same from the internet: status, body and certificate facts for
 * every host.
 */
import { defineScenario } from '../../harness/scenario/define.ts';
import { deployWithUserDns, faultRoute, parseEcho, settled } from '../../harness/scenario/steps.ts';
import { certificateReady } from '../../harness/scenario/tls-steps.ts';
import { appHosts } from '../../harness/stack/app-fixture.ts';
import { waitUntil } from '../../harness/converge.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import type { Routing } from '../../harness/stack/routing.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

const PATH = '/parity?x=1';
/** Only in target routing (the listener exists there alone): the alias redirects instead of serving. */
const aliasRedirect = (app: InstanceApp) => {
  const alias = app.aliases[0] as string;
  return faultRoute('skyprobe-fault-parity', app.namespace, app.listener(alias), {
    hostnames: [alias],
    rules: [
      {
        matches: [{ path: { type: 'Exact', value: '/parity' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: app.customDomains[0], statusCode: 302 } }],
      },
    ],
  });
};

export default defineScenario({
  id: 'CD-04',
  title: 'Current vs target routing: same status, body and certificate facts for every host',
  features: ['Migration', 'Ingress', 'HTTPRoute'],
  apps: ['shop'],
  routing: ['current'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const hosts = appHosts(app).map((h) => h.host);
    const observe = async (mode: Routing) => {
      await deployWithUserDns({ env: ctx.env, routing: mode }, 'shop');
      const modeCtx = { ...ctx, routing: mode };
      for (const h of hosts) await certificateReady(modeCtx, app, h);
      // The edge has taken every route of the namespace in: each parentRef has a status of this generation.
      await waitUntil(
        `the edge reports on every route of ${app.namespace}`,
        async () => {
          const list = (await ctx.env.k.objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute', app.namespace)) as {
            items: {
              metadata: { generation?: number };
              spec: { parentRefs: unknown[] };
              status?: { parents?: { conditions: { observedGeneration?: number }[] }[] };
            }[];
          };
          return list.items.every(
            (r) =>
              (r.status?.parents?.length ?? 0) >= r.spec.parentRefs.length &&
              (r.status?.parents ?? []).every((p) =>
                p.conditions.every((c) => c.observedGeneration === r.metadata.generation),
              ),
          );
        },
        { timeoutMs: TIMEOUTS.routesReported, intervalMs: POLL.edge },
      );
      const facts: Record<string, unknown> = {};
      for (const h of hosts) {
        // Settled: the same answer twice in a row, 500 ms apart, from an edge that answers (the edge applies its
        // configuration a moment after it reports a route's status). Unsettled, the latest answer is compared.
        const { answer } = await settled(
          async () => {
            const http = await ctx.env.http(`http://${h}${PATH}`);
            const https = await ctx.env.http(`https://${h}${PATH}`);
            const tls = await ctx.env.tls(h);
            return {
              http: { status: http.status, location: http.location, app: parseEcho(http)?.app },
              https: { status: https.status, location: https.location, app: parseEcho(https)?.app },
              certificate: {
                verified: tls.verified,
                sans: tls.chain[0]?.sans ?? [],
                issuer: tls.chain[0]?.issuer?.replace(/ [0-9a-f]{6}$/, ''),
              },
            };
          },
          (row) =>
            ![0, 404, 503].includes(row.http.status) &&
            ![0, 404, 503].includes(row.https.status) &&
            row.certificate.verified,
          { timeoutMs: TIMEOUTS.edgeSettled, intervalMs: POLL.slow },
        );
        facts[h] = answer;
      }
      return facts;
    };
    const current = await observe('current');
    const target = await observe('target');
    ctx.note('facts', { current, target });
    await ctx.check('current and target give the same status, body and certificate facts for every host', async () => {
      const differing = hosts.filter((h) => JSON.stringify(current[h]) !== JSON.stringify(target[h]));
      return {
        ok: differing.length === 0,
        evidence: { current, target, differing },
        message:
          differing
            .map((h) => `${h}: current ${JSON.stringify(current[h])} vs target ${JSON.stringify(target[h])}`)
            .join('; ') || 'identical',
      };
    });
    // Leave the app in the routing this scenario was asked for.
    await deployWithUserDns(ctx, 'shop');
  },
  faults: [
    {
      name: 'one mode differs (target mode redirects the alias)',
      failingCheck: 'current and target give the same status, body and certificate facts for every host',
      async inject({ env }) {
        await aliasRedirect(env.app('shop')).add(env);
      },
      revert: ({ env }) =>
        aliasRedirect(env.app('shop'))
          .remove(env)
          .then(() => undefined),
    },
  ],
});
