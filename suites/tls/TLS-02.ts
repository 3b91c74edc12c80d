/** TLS-02: the custom domain's and the alias's certificates (Ingress path in current routing, Gateway in target). */
import { defineScenario } from '../../harness/scenario/define.ts';
import { deployWithUserDns } from '../../harness/scenario/steps.ts';
import { certificateReady, servesTrustedCertificate } from '../../harness/scenario/tls-steps.ts';
import { render } from '../../harness/stack/render.ts';
import { waitUntil } from '../../harness/converge.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

export default defineScenario({
  id: 'TLS-02',
  title: 'Custom domain and alias certificates in both routing modes',
  features: ['CertManager', 'HTTP01', 'IngressShim', 'GatewayShim'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    for (const host of [...app.customDomains, ...app.aliases]) {
      await certificateReady(ctx, app, host);
      await servesTrustedCertificate(ctx, host);
    }
  },
  faults: [
    {
      name: 'certificate pending forever (Pebble unreachable)',
      failingCheck: ({ app }) => `certificate for ${app('shop').customDomains[0]} Ready`,
      async inject({ env, routing }) {
        await env.blockPort('acme', 14000, true);
        const apex = env.app('shop').customDomains[0];
        const h = render(env.app('shop'), routing).hosts.find((x) => x.host === apex);
        if (!h) throw new Error(`${apex} is not rendered`);
        await env.k.core.deleteNamespacedSecret({ name: h.tlsSecret.name, namespace: h.tlsSecret.namespace });
        // The fault is in place once cert-manager has noticed: the Certificate is no longer Ready.
        await waitUntil(
          'the Certificate no longer Ready',
          async () => {
            const list = (await env.k.objects.list('cert-manager.io/v1', 'Certificate', h.tlsSecret.namespace)) as {
              items: { spec: { secretName: string }; status?: { conditions?: { type: string; status: string }[] } }[];
            };
            const crt = list.items.find((c) => c.spec.secretName === h.tlsSecret.name);
            return !crt?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
          },
          { timeoutMs: TIMEOUTS.certificateNotReady, intervalMs: POLL.api },
        );
      },
      async revert({ env, routing }) {
        await env.blockPort('acme', 14000, false);
        await deployWithUserDns({ env, routing }, 'shop');
      },
    },
  ],
});
