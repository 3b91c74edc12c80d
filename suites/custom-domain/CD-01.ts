/** CD-01: a custom domain, pointed at the edge by its owner, reaches the app over HTTP and HTTPS. */
import { PatchStrategy } from '@kubernetes/client-node';
import { defineScenario } from '../../harness/scenario/define.ts';
import { userZone } from '../../harness/stack/instance.ts';
import { appAnswers, deployWithUserDns, redeploy, resolvesToLb } from '../../harness/scenario/steps.ts';

export default defineScenario({
  id: 'CD-01',
  title: 'Custom domain reaches the app',
  features: ['CustomDomain', 'Ingress', 'HTTPRoute', 'CertManager'],
  apps: ['shop'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'shop'),
  async body(ctx) {
    const app = ctx.env.app('shop');
    const host = app.customDomains[0] as string;
    await resolvesToLb(ctx, host, 'custom domain resolves to the load balancer');
    await appAnswers(ctx, app, host, 'http', 'custom domain answers 200 from the app over HTTP');
    await appAnswers(ctx, app, host, 'https', 'custom domain answers 200 from the app over HTTPS');
  },
  faults: [
    {
      name: 'user DNS points elsewhere',
      failingCheck: 'custom domain resolves to the load balancer',
      async inject({ env }) {
        const host = env.app('shop').customDomains[0] as string;
        await env.userDns.edit(userZone(host), (r) => r.name === host, [
          { name: host, type: 'A', value: '198.51.100.99' },
        ]);
      },
      revert: redeploy('shop'),
    },
    {
      name: 'ingress class wrong',
      failingCheck: 'custom domain answers 200 from the app over HTTP',
      routing: ['current'],
      async inject({ env }) {
        const app = env.app('shop');
        await env.k.objects.patch(
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { name: app.objectName('domains'), namespace: app.namespace },
            spec: { ingressClassName: 'nginx' },
          } as never,
          undefined,
          undefined,
          undefined,
          undefined,
          PatchStrategy.MergePatch,
        );
      },
      revert: redeploy('shop'),
    },
  ],
});
