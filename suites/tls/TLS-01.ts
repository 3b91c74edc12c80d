/** TLS-01: the generated host's certificate comes from Pebble via HTTP-01, chains to Pebble's root, covers the host, and is what the edge serves. */
import { defineScenario } from '../../harness/scenario/define.ts';
import { redeploy } from '../../harness/scenario/steps.ts';
import { certificateReady, servesTrustedCertificate } from '../../harness/scenario/tls-steps.ts';
import { editListeners } from '../../harness/stack/deploy.ts';
import { type GatewayListener, render } from '../../harness/stack/render.ts';
import { waitUntil } from '../../harness/converge.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'TLS-01',
  title:
    "Generated host: certificate from Pebble via HTTP-01, chained to Pebble's root, SAN matching, served at the edge",
  features: ['CertManager', 'HTTP01', 'GatewayListenerTLS'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  async body(ctx) {
    const app = ctx.env.app('shop');
    // What a user sees first, then the object that explains it.
    await servesTrustedCertificate(ctx, app.generatedHost);
    await certificateReady(ctx, app, app.generatedHost);
  },
  faults: [
    {
      name: 'untrusted chain (listener serves a self-signed certificate)',
      failingCheck: ({ app }) =>
        `edge serves for ${app('shop').generatedHost} a certificate that chains to Pebble's root and covers the host`,
      async inject({ env, routing }) {
        const app = env.app('shop');
        const host = app.generatedHost;
        await env.selfSignedSecret('satusky-edge', 'skyprobe-fault-self-signed', host);
        const listener = render(app, routing).listeners.find((l) => l.hostname === host) as GatewayListener;
        await editListeners(env.k, new Set(), [
          {
            ...listener,
            tls: { ...listener.tls, certificateRefs: [{ kind: 'Secret', name: 'skyprobe-fault-self-signed' }] },
          },
        ]);
        await waitUntil('the edge serves the self-signed certificate', async () => !(await env.tls(host)).verified, {
          timeoutMs: TIMEOUTS.faultAtEdge,
          intervalMs: POLL.edge,
        });
      },
      async revert(ctx) {
        await redeploy('shop')(ctx);
        await ctx.env.k.core
          .deleteNamespacedSecret({ name: 'skyprobe-fault-self-signed', namespace: 'satusky-edge' })
          .catch(() => undefined);
      },
    },
  ],
});
