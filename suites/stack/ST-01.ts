/**
 * ST-01: the edge is ready, read from the cluster alone (so it runs on every provider, an existing cluster
 * included): the GatewayClass is Accepted, Gateway satusky-edge is Programmed with an address, each listener
 * is Programmed with its references resolved, and cert-manager's ClusterIssuers are Ready.
 */
import { conditionsOf, isTrue } from '../../harness/facts/cluster-view.ts';
import { converge } from '../../harness/converge.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import type { ScenarioEnv } from '../../harness/scenario/env.ts';
import { editListeners, gatewayRef } from '../../harness/stack/deploy.ts';
import { ISSUER_GATEWAY, ISSUER_INGRESS } from '../../harness/stack/edge-objects.ts';
import type { GatewayListener } from '../../harness/stack/render.ts';
import { POLL } from '../../harness/timeouts.ts';

type Conditioned = { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
type Gateway = {
  spec: { gatewayClassName: string; listeners: { name: string; hostname?: string }[] };
  status?: Conditioned & { addresses?: { value: string }[]; listeners?: (Conditioned & { name: string })[] };
};
const readGateway = async (env: ScenarioEnv) => (await env.k.objects.read(gatewayRef as never)) as unknown as Gateway;
const BROKEN = 'https-skyprobe-broken';

/** A listener whose certificate Secret is in another namespace, with no ReferenceGrant. */
const BROKEN_LISTENER: GatewayListener = {
  name: BROKEN,
  hostname: 'broken.skyprobe.invalid',
  port: 443,
  protocol: 'HTTPS',
  tls: {
    mode: 'Terminate',
    certificateRefs: [{ kind: 'Secret', name: 'skyprobe-elsewhere', namespace: 'kube-system' }],
  },
  allowedRoutes: { namespaces: { from: 'All' } },
};

export default defineScenario({
  id: 'ST-01',
  title: 'The edge is ready: GatewayClass accepted, Gateway and listeners programmed, issuers ready',
  features: ['Gateway', 'GatewayClass', 'CertManager', 'ReadOnly'],
  apps: [],
  routing: ['current', 'target'],
  needs: [],
  alone:
    'judges every listener of the shared Gateway: a scenario beside it adds listeners whose certificates are not issued yet',
  async body(ctx) {
    const gw = await readGateway(ctx.env);
    await ctx.check('the GatewayClass of satusky-edge is Accepted', async () => {
      const gc = (await ctx.env.k.objects.read({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: gw.spec.gatewayClassName },
      } as never)) as unknown as { status?: Conditioned; spec: { controllerName: string } };
      const cs = conditionsOf(gc.status);
      return {
        ok: isTrue(cs, 'Accepted'),
        evidence: { name: gw.spec.gatewayClassName, controller: gc.spec.controllerName, conditions: cs },
        message: JSON.stringify(cs),
      };
    });
    // Listeners first: Traefik marks the whole Gateway not Accepted when one listener is bad, and the listener
    // conditions say which one and why.
    await ctx.check('every listener of satusky-edge is Programmed with its references resolved', async () => {
      // Converging: a listener added by a deployment is resolved once its certificate Secret exists.
      const c = await converge(
        async () => {
          const now = await readGateway(ctx.env);
          const per = now.spec.listeners.map((l) => {
            const cs = conditionsOf(now.status?.listeners?.find((s) => s.name === l.name));
            return {
              listener: l.name,
              hostname: l.hostname,
              ok: isTrue(cs, 'Programmed') && isTrue(cs, 'ResolvedRefs'),
              conditions: cs.filter((x) => x.status !== 'True' || ['Programmed', 'ResolvedRefs'].includes(x.type)),
            };
          });
          return { ok: per.every((p) => p.ok), evidence: per };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.slow, keep: 4 },
      );
      const bad = (c.attempts.at(-1)?.evidence ?? []).filter((p) => !p.ok);
      return {
        ok: c.ok,
        evidence: c,
        message: bad
          .map(
            (b) =>
              `${b.listener}: ${
                b.conditions
                  .filter((x) => x.status !== 'True')
                  .map((x) => `${x.type} ${x.status} (${x.reason})`)
                  .join(', ') || 'no status'
              }`,
          )
          .join('; '),
      };
    });
    await ctx.check('Gateway satusky-edge is Programmed with an address', async () => {
      const now = await readGateway(ctx.env);
      const cs = conditionsOf(now.status);
      const addresses = (now.status?.addresses ?? []).map((a) => a.value);
      return {
        ok: isTrue(cs, 'Programmed') && addresses.length > 0,
        evidence: { conditions: cs, addresses },
        message: `addresses ${JSON.stringify(addresses)}, conditions ${JSON.stringify(cs.map((c) => `${c.type}=${c.status}`))}`,
      };
    });
    await ctx.check("cert-manager's ClusterIssuers are Ready", async () => {
      const per = await Promise.all(
        [ISSUER_INGRESS, ISSUER_GATEWAY].map(async (name) => {
          const o = (await ctx.env.k.objects
            .read({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name } } as never)
            .catch(() => undefined)) as { status?: Conditioned } | undefined;
          return { name, exists: !!o, conditions: conditionsOf(o?.status) };
        }),
      );
      return {
        ok: per.every((p) => isTrue(p.conditions, 'Ready')),
        evidence: per,
        message: per
          .map((p) => `${p.name}: ${p.exists ? p.conditions.map((c) => `${c.type}=${c.status}`).join(',') : 'missing'}`)
          .join('; '),
      };
    });
  },
  faults: [
    {
      // The listener's Secret is in another namespace, with no ReferenceGrant: refused (RefNotPermitted). (A missing Secret in the
      // Gateway's own namespace is no fault here: cert-manager's gateway-shim issues a certificate into it.)
      name: 'a listener whose certificate Secret it may not use',
      failingCheck: 'every listener of satusky-edge is Programmed with its references resolved',
      inject: ({ env }) => editListeners(env.k, new Set(), [BROKEN_LISTENER]),
      revert: ({ env }) => editListeners(env.k, new Set([BROKEN]), []),
    },
  ],
});
