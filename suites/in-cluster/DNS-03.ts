/** DNS-03: from a pod, the app's Service by FQDN and by short name, through cluster DNS, never through the edge. */
import type { V1Pod } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { parseEcho } from '../../harness/scenario/steps.ts';
import { converge, waitUntil } from '../../harness/converge.ts';
import type { ScenarioEnv } from '../../harness/scenario/env.ts';
import { POLL, TIMEOUTS, seconds } from '../../harness/timeouts.ts';

/** The client pod, in the namespace of the run's app. */
const client = (env: ScenarioEnv) => ({ name: 'dns-client', namespace: env.app('shop').namespace });

export default defineScenario({
  id: 'DNS-03',
  title: 'In-cluster DNS: svc.ns.svc.cluster.local and the short name from a pod, bypassing the edge',
  features: ['ClusterDNS', 'ClusterIP'],
  apps: ['shop'],
  routing: ['current'],
  // lab: env.inPod (curl from the client pod's namespace) and env.edgeAccessLog.
  needs: ['deploy', 'lab'],
  async setup({ env, routing }) {
    await env.deploy(env.app('shop'), routing);
    const CLIENT = client(env);
    const existing = await env.k.core.readNamespacedPod(CLIENT).catch(() => undefined);
    if (!existing) {
      await env.k.core.createNamespacedPod({
        namespace: CLIENT.namespace,
        body: {
          metadata: { name: CLIENT.name },
          spec: { containers: [{ name: 'sh', image: 'skyprobe/toolbox', command: ['sleep', '86400'] }] },
        },
      });
    }
    await waitUntil(
      'the dns-client pod Ready',
      async () =>
        (await env.k.core.readNamespacedPod(CLIENT)).status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      { timeoutMs: TIMEOUTS.clientPodReady, intervalMs: POLL.api },
    );
  },
  async body(ctx) {
    const app = ctx.env.app('shop');
    const CLIENT = client(ctx.env);
    const pod: V1Pod = await ctx.env.k.core.readNamespacedPod(CLIENT);
    const before = ctx.env.edgeAccessLog().length;
    for (const [label, name] of [
      ['FQDN', `${app.app}.${app.namespace}.svc.cluster.local`],
      ['short name', app.app],
    ] as const) {
      // Converging: the Service's endpoints reach kube-proxy and cluster DNS a moment after the pods are Ready.
      await ctx.check(`${label} ${name} reaches the app from a pod`, async () => {
        const c = await converge(
          async () => {
            const r = await ctx.env.inPod(pod, [
              'curl',
              '-sS',
              '-m',
              String(seconds(TIMEOUTS.httpRequest)),
              `http://${name}/in-cluster`,
            ]);
            const echo = parseEcho({ status: 200, body: r.output });
            return {
              ok: r.exitCode === 0 && echo?.app === `${app.org}/${app.app}`,
              evidence: {
                from: `${CLIENT.namespace}/${CLIENT.name}`,
                url: `http://${name}/in-cluster`,
                exit: r.exitCode,
                output: r.output.slice(0, 300),
              },
            };
          },
          { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
        );
        const last = c.attempts.at(-1)?.evidence;
        return { ok: c.ok, evidence: c, message: last?.output.split('\n')[0] ?? 'no attempt' };
      });
    }
    await ctx.check('the edge saw none of it (access log unchanged)', async () => {
      const after = ctx.env.edgeAccessLog();
      const added = after.slice(before).filter((l) => l.includes('/in-cluster'));
      return {
        ok: added.length === 0,
        evidence: { linesBefore: before, linesAfter: after.length, inClusterLines: added },
        message: `${added.length} in-cluster requests reached the edge`,
      };
    });
  },
  faults: [
    {
      name: 'cluster DNS down',
      failingCheck: ({ app }) =>
        `FQDN ${app('shop').app}.${app('shop').namespace}.svc.cluster.local reaches the app from a pod`,
      inject: ({ env }) => env.stopComponent('coredns-cluster'),
      revert: ({ env }) => env.startComponent('coredns-cluster'),
    },
  ],
});
