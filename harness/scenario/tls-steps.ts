/** TLS checks shared by the TLS scenarios: the Certificate object, and what the edge actually serves. */
import { converge } from '../converge.ts';
import type { AppFixture } from '../stack/app-fixture.ts';
import { render } from '../stack/render.ts';
import type { ScenarioContext } from './define.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import { conditions, within } from './steps.ts';

/** The cert-manager Certificate whose Secret serves `host` in this routing mode. */
export async function certificateFor(ctx: ScenarioContext, app: AppFixture, host: string) {
  const h = render(app, ctx.routing).hosts.find((x) => x.host === host);
  if (!h) throw new Error(`${host} is not a host of ${app.org}/${app.app}`);
  const list = (await ctx.env.k.objects.list('cert-manager.io/v1', 'Certificate', h.tlsSecret.namespace)) as {
    items: {
      metadata: { name: string };
      spec: { secretName: string; dnsNames?: string[]; issuerRef: { name: string; kind?: string } };
      status?: {
        conditions?: { type: string; status: string; reason?: string; message?: string }[];
        notAfter?: string;
        renewalTime?: string;
      };
    }[];
  };
  return { secret: h.tlsSecret, certificate: list.items.find((c) => c.spec.secretName === h.tlsSecret.name) };
}

export function certificateReady(ctx: ScenarioContext, app: AppFixture, host: string) {
  return ctx.check(`certificate for ${host} Ready`, async () => {
    const c = await converge(
      async () => {
        const { secret, certificate } = await certificateFor(ctx, app, host);
        const conds = conditions(certificate);
        const ready = conds.find((x) => x.type === 'Ready');
        return {
          ok: ready?.status === 'True' && (certificate?.spec.dnsNames ?? []).includes(host),
          evidence: {
            secret,
            certificate: certificate?.metadata.name,
            issuer: certificate?.spec.issuerRef,
            dnsNames: certificate?.spec.dnsNames,
            conditions: conds,
            notAfter: certificate?.status?.notAfter,
            renewalTime: certificate?.status?.renewalTime,
          },
        };
      },
      { timeoutMs: within(ctx, TIMEOUTS.certificateIssued), intervalMs: POLL.slow, successes: 1 },
    );
    const last = c.attempts.at(-1)?.evidence as
      { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined;
    const ready = last?.conditions?.find((x) => x.type === 'Ready');
    return {
      ok: c.ok,
      evidence: c,
      message: `Ready=${ready?.status ?? 'absent'} ${ready?.reason ?? ''}: ${ready?.message ?? 'no Certificate'}`,
    };
  });
}

export function servesTrustedCertificate(ctx: ScenarioContext, host: string) {
  return ctx.check(
    `edge serves for ${host} a certificate that chains to Pebble's root and covers the host`,
    async () => {
      const c = await converge(
        async () => {
          const t = await ctx.env.tls(host);
          return {
            ok: t.verified && (t.chain[0]?.sans ?? []).includes(host) && /Pebble/i.test(t.chain[0]?.issuer ?? ''),
            evidence: t,
          };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.slow },
      );
      const last = c.attempts.at(-1)?.evidence;
      return {
        ok: c.ok,
        evidence: c,
        message: `verified=${last?.verified} ${last?.verifyError ?? ''}; leaf issuer "${last?.chain[0]?.issuer ?? 'none'}", SANs ${JSON.stringify(last?.chain[0]?.sans ?? [])}`,
      };
    },
  );
}
