/** DP-03: a host nobody deployed gets the edge's own 404, never another app's content. */
import { defineScenario } from '../../harness/scenario/define.ts';
import { exchange, faultRoute } from '../../harness/scenario/steps.ts';
import { waitUntil } from '../../harness/converge.ts';
import type { InstanceApp } from '../../harness/stack/instance.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

const UNKNOWN = ['unknown.example.com', 'nobody-nowhere.satusky.com'];
/** A route with no hostname, on the shared HTTP listener: it takes every host nobody claimed. */
const catchAll = (app: InstanceApp) =>
  faultRoute('skyprobe-fault-catch-all', app.namespace, 'http', {
    rules: [{ backendRefs: [{ name: app.app, port: 80 }] }],
  });

export default defineScenario({
  id: 'DP-03',
  title: "Unknown host gets the edge's 404 and no app's content",
  features: ['Gateway', 'Ingress'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  async body(ctx) {
    for (const host of UNKNOWN) {
      await ctx.check(`unknown host ${host} gets the edge 404`, async () => {
        const url = `http://${host}/`;
        const r = await ctx.env.http(url, { resolve: `${host}:80:${ctx.env.lbIp}` });
        return {
          ok: r.status === 404 && !r.body.includes('"pod"'),
          evidence: exchange(url, r),
          message: `status ${r.status}, body ${r.body.slice(0, 80)}`,
        };
      });
    }
  },
  faults: [
    {
      name: 'catch-all route leaking',
      failingCheck: 'unknown host unknown.example.com gets the edge 404',
      async inject({ env }) {
        await catchAll(env.app('shop')).add(env);
        // In place once the edge serves it.
        await waitUntil(
          'the catch-all route leaks',
          async () =>
            (await env.http('http://unknown.example.com/', { resolve: `unknown.example.com:80:${env.lbIp}` }))
              .status === 200,
          { timeoutMs: TIMEOUTS.faultAtEdge, intervalMs: POLL.edge },
        );
      },
      revert: ({ env }) =>
        catchAll(env.app('shop'))
          .remove(env)
          .then(() => undefined),
    },
  ],
});
