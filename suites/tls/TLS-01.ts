/** TLS-01: the generated host's certificate comes from Pebble via HTTP-01, chains to Pebble's root, covers the host, and is what the edge serves. */
import { defineScenario } from '../../harness/scenario/define.ts';
import { redeploy } from '../../harness/scenario/steps.ts';
import { certificateReady, servesTrustedCertificate } from '../../harness/scenario/tls-steps.ts';

export default defineScenario({
  id: 'TLS-01',
  title: "Generated host: certificate from Pebble via HTTP-01, chained to Pebble's root, SAN matching, served at the edge",
  area: 'tls',
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
      failingCheck: "edge serves for shop-acme.satusky.com a certificate that chains to Pebble's root and covers the host",
      async inject({ env }) {
        const host = env.app('shop').generatedHost;
        await env.selfSignedSecret('satusky-edge', 'skyprobe-fault-self-signed', host);
        const ref = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'satusky-edge', namespace: 'satusky-edge' } };
        const gw = (await env.k.objects.read(ref)) as unknown as { spec: { listeners: { hostname?: string; tls?: { certificateRefs: { name: string }[] } }[] } };
        for (const l of gw.spec.listeners) if (l.hostname === host && l.tls) l.tls.certificateRefs = [{ name: 'skyprobe-fault-self-signed' }];
        await env.k.objects.replace(gw as never);
        await new Promise((r) => setTimeout(r, 1500));
      },
      async revert(ctx) {
        await redeploy('shop')(ctx);
        await ctx.env.k.core.deleteNamespacedSecret({ name: 'skyprobe-fault-self-signed', namespace: 'satusky-edge' }).catch(() => undefined);
      },
    },
  ],
});
