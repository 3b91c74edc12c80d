/**
 * TLS-04: with HTTP -> HTTPS redirect on, ACME's HTTP-01 path still answers on :80: a certificate can be
 * (re-)issued while every other plain-HTTP request is redirected.
 */
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
    await ctx.check('plain HTTP redirects permanently to HTTPS', async () => {
      const url = `http://${host}/account?id=1`;
      const r = await ctx.env.http(url);
      return {
        ok: r.status === 301 && r.location === `https://${host}/account?id=1`,
        evidence: exchange(url, r),
        message: `${r.status} ${r.location ?? '(no Location)'}`,
      };
    });
    const { secret, certificate } = await certificateFor(ctx, app, host);
    ctx.note('before', { certificate: certificate?.metadata.name, notAfter: certificate?.status?.notAfter });
    // A renewal: the Secret goes, cert-manager must solve HTTP-01 again, through :80, with the redirect on.
    await ctx.env.k.core.deleteNamespacedSecret({ name: secret.name, namespace: secret.namespace });
    await ctx.check('a new certificate is issued through HTTP-01 on :80 while the redirect is on', async () => {
      const c = await converge(
        async () => {
          const s = await ctx.env.k.core
            .readNamespacedSecret({ name: secret.name, namespace: secret.namespace })
            .catch(() => undefined);
          const { certificate: crt } = await certificateFor(ctx, app, host);
          const ready = crt?.status?.conditions?.find((x) => x.type === 'Ready');
          const issuer = s?.metadata?.annotations?.['cert-manager.io/issuer-name'];
          return {
            ok: Boolean(s?.data?.['tls.crt'] && ready?.status === 'True' && issuer),
            evidence: { secretExists: Boolean(s?.data?.['tls.crt']), ready, issuer },
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
