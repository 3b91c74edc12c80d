/** CD-03: www redirects permanently to the apex, with the exact Location; the apex itself is not redirected. */
import { PatchStrategy } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { deployWithUserDns, exchange, faultRoute, redeploy } from '../../harness/scenario/steps.ts';
import { converge, waitUntil } from '../../harness/converge.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/** The apex redirected back to www: with www -> apex, a loop. */
const apexToWww = (app: InstanceApp) => {
  const apex = app.customDomains[0] as string;
  return faultRoute('skyprobe-fault-apex-to-www', app.namespace, app.listener(apex), {
    hostnames: [apex],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/cart' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: `www.${apex}`, statusCode: 301 } }],
      },
    ],
  });
};

export default defineScenario({
  id: 'CD-03',
  title: 'www -> apex permanent redirect with the exact Location; apex not redirected',
  features: ['WwwRedirect', 'Middleware', 'RequestRedirect'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const apex = app.customDomains[0] as string;
    for (const scheme of ['http', 'https'] as const) {
      await ctx.check(`${scheme}://www answers 301 with the exact apex Location`, async () => {
        const url = `${scheme}://www.${apex}/cart/items?id=7`;
        const want = `https://${apex}/cart/items?id=7`;
        const c = await converge(
          async () => {
            const r = await ctx.env.http(url);
            return { ok: r.status === 301 && r.location === want, evidence: exchange(url, r) };
          },
          { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
        );
        const last = c.attempts.at(-1)?.evidence;
        return {
          ok: c.ok,
          evidence: c,
          message: `expected 301 Location ${want}, found ${last?.status} ${last?.location ?? '(no Location)'}`,
        };
      });
    }
    // Converging too: the apex has a listener and certificate of its own, which the www checks did not wait for.
    await ctx.check('apex is not redirected', async () => {
      const url = `https://${apex}/cart`;
      const c = await converge(
        async () => {
          const r = await ctx.env.http(url);
          return { ok: r.status === 200, evidence: exchange(url, r) };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
      );
      const last = c.attempts.at(-1)?.evidence;
      return { ok: c.ok, evidence: c, message: `status ${last?.status} ${last?.location ?? last?.error ?? ''}` };
    });
  },
  faults: [
    {
      name: 'wrong status (302)',
      failingCheck: 'http://www answers 301 with the exact apex Location',
      async inject({ env, routing }) {
        const app = env.app('shop');
        const patch =
          routing === 'current'
            ? {
                apiVersion: 'traefik.io/v1alpha1',
                kind: 'Middleware',
                metadata: { name: app.objectName('www-redirect'), namespace: app.namespace },
                spec: { redirectRegex: { permanent: false } },
              }
            : {
                apiVersion: 'gateway.networking.k8s.io/v1',
                kind: 'HTTPRoute',
                metadata: { name: app.objectName('www'), namespace: app.namespace },
                spec: {
                  rules: [
                    {
                      filters: [
                        {
                          type: 'RequestRedirect',
                          requestRedirect: { scheme: 'https', hostname: app.customDomains[0], statusCode: 302 },
                        },
                      ],
                    },
                  ],
                },
              };
        await env.k.objects.patch(patch as never, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
      },
      revert: redeploy('shop'),
    },
    {
      name: 'redirect loop (apex redirected to www)',
      failingCheck: 'apex is not redirected',
      routing: ['target'],
      async inject({ env }) {
        const app = env.app('shop');
        await apexToWww(app).add(env);
        await waitUntil(
          'the apex redirects',
          async () => (await env.http(`https://${app.customDomains[0]}/cart`)).status === 301,
          { timeoutMs: TIMEOUTS.faultAtEdge, intervalMs: POLL.edge },
        );
      },
      revert: ({ env }) =>
        apexToWww(env.app('shop'))
          .remove(env)
          .then(() => undefined),
    },
  ],
});
