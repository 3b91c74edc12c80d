/**
 * TLS-04: with HTTP -> HTTPS redirect on, ACME's HTTP-01 path still answers on :80: a certificate can be
 * (re-)issued while every other plain-HTTP request is redirected.
 */
import { X509Certificate } from 'node:crypto';
import { defineScenario } from '../../harness/scenario/define.ts';
import { converge } from '../../harness/converge.ts';
import { deployWithUserDns, exchange, within } from '../../harness/scenario/steps.ts';
import { certificateFor, certificateReady, servesTrustedCertificate } from '../../harness/scenario/tls-steps.ts';
import { POLL, TIMEOUTS } from '../../harness/timeouts.ts';

/** Traefik's entry-point-wide redirect: everything on :80 goes to :443, the challenge path included. */
const GLOBAL_REDIRECT = [
  '--entrypoints.web.http.redirections.entrypoint.to=websecure',
  '--entrypoints.web.http.redirections.entrypoint.scheme=https',
];

export default defineScenario({
  id: 'TLS-04',
  title: 'HTTP-01 path reachable on :80 while HTTP redirects to HTTPS',
  features: ['HTTP01', 'HttpsRedirect'],
  apps: ['secure'],
  routing: ['current', 'target'],
  needs: ['deploy', 'internet'],
  setup: (ctx) => deployWithUserDns(ctx, 'secure'),
  async body(ctx) {
    const app = ctx.env.app('secure');
    const host = app.customDomains[0] as string;
    await certificateReady(ctx, app, host);
    // Converging: the edge takes the app's routes in a moment after they are applied. A certificate left by an
    // earlier run on this lab is Ready at once, so no issuance gives the edge that moment here.
    await ctx.check('plain HTTP redirects permanently to HTTPS', async () => {
      const url = `http://${host}/account?id=1`;
      const c = await converge(
        async () => {
          const r = await ctx.env.http(url);
          return { ok: r.status === 301 && r.location === `https://${host}/account?id=1`, evidence: exchange(url, r) };
        },
        { timeoutMs: ctx.convergeMs, intervalMs: POLL.edge },
      );
      const last = c.attempts.at(-1)?.evidence;
      return { ok: c.ok, evidence: c, message: `${last?.status} ${last?.location ?? '(no Location)'}` };
    });
    const { secret, certificate } = await certificateFor(ctx, app, host);
    const readSecret = () =>
      ctx.env.k.core.readNamespacedSecret({ name: secret.name, namespace: secret.namespace }).catch(() => undefined);
    const leaf = (pem: string | undefined) => (pem ? new X509Certificate(Buffer.from(pem, 'base64')) : undefined);
    const old = leaf((await readSecret())?.data?.['tls.crt']);
    ctx.note('before', {
      certificate: certificate?.metadata.name,
      notAfter: certificate?.status?.notAfter,
      serial: old?.serialNumber,
    });
    // A renewal: the Secret goes, cert-manager must solve HTTP-01 again, through :80, with the redirect on. Issued
    // means observed in the Secret: a certificate other than the one deleted, from Pebble (not cert-manager's
    // temporary one), while the Certificate is Ready (which it still is for a moment after the deletion).
    await ctx.env.k.core.deleteNamespacedSecret({ name: secret.name, namespace: secret.namespace });
    await ctx.check('a new certificate is issued through HTTP-01 on :80 while the redirect is on', async () => {
      const c = await converge(
        async () => {
          const s = await readSecret();
          const now = leaf(s?.data?.['tls.crt']);
          const { certificate: crt } = await certificateFor(ctx, app, host);
          const ready = crt?.status?.conditions?.find((x) => x.type === 'Ready');
          const issuer = s?.metadata?.annotations?.['cert-manager.io/issuer-name'];
          const fromPebble = /Pebble/i.test(now?.issuer ?? '');
          const renewed = now !== undefined && now.serialNumber !== old?.serialNumber;
          return {
            ok: renewed && fromPebble && ready?.status === 'True' && Boolean(issuer),
            evidence: {
              secretExists: now !== undefined,
              serial: now?.serialNumber,
              leafIssuer: now?.issuer,
              renewed,
              ready,
              issuer,
              revision: (crt?.status as { revision?: number } | undefined)?.revision,
            },
          };
        },
        { successes: 1, timeoutMs: within(ctx, TIMEOUTS.certificateIssued), intervalMs: POLL.slow },
      );
      const last = c.attempts.at(-1)?.evidence;
      return c.ok
        ? { ok: true, evidence: last }
        : { ok: false, evidence: last, message: `not re-issued: ${JSON.stringify(last)}` };
    });
    await servesTrustedCertificate(ctx, host);
  },
  faults: [
    {
      name: 'redirect swallows the challenge (entry-point-wide redirect)',
      failingCheck: 'a new certificate is issued through HTTP-01 on :80 while the redirect is on',
      routing: ['target'],
      inject: ({ env }) => env.restartComponent('traefik', GLOBAL_REDIRECT),
      revert: ({ env }) => env.restartComponent('traefik'),
    },
  ],
});
