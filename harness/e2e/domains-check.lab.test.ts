/**
 * `domains check` on the real lab: a healthy host passes the four facts in both routing modes; each fault of the
 * issue's list is reported on the right fact, with the evidence that shows it, and the facts it does not touch
 * still pass; bad input and silent servers give one line (exit 2) or `unknown`, within 5 s; and the check needs
 * nothing but get/list/watch (it passes under a ServiceAccount that may do nothing more).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { labForFile } from './lab-for-file.ts';
import { apiStatus, clientsFor } from '../k8s/client.ts';
import { LB_IP } from '../providers/embedded/address-plan.ts';
import { stackPaths } from '../providers/embedded/stack.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { deployWithUserDns, faultRoute, userPointsDomainsAtLb } from '../scenario/steps.ts';
import { listenerName, render } from '../stack/render.ts';
import { ROUTINGS } from '../stack/routing.ts';
import { issueLeaf, makeTestCa, type TestCa } from '../testing/test-ca.ts';
import { type FactTarget, checkDomains } from '../facts/check.ts';
import { type DomainReport, FACT_NAMES, type FactName, type FactStatus } from '../facts/fact.ts';
import { labMetadataSource } from '../facts/metadata.ts';
import { factTarget } from '../facts/target.ts';
import { labFactSite } from '../providers/embedded/fact-site.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const cli = (...args: string[]) =>
  execa('node', [bin, 'domains', 'check', ...args], { reject: false, env: { NO_COLOR: '1' } });
const SCRATCH = 'skyprobe-facts';

describe('skyprobe domains check', () => {
  let env: ScenarioEnv;
  let target: FactTarget;
  let tmp: string;
  let ca: TestCa;
  let otherCa: TestCa;
  const shop = () => env.app('shop');
  const generated = () => shop().generatedHost;

  /** Check `host` until `done` holds (bounded), and return the last report either way: assertions show what was seen. */
  async function observe(
    host: string,
    done: (r: DomainReport) => boolean,
    t: FactTarget = target,
    ms = 30_000,
  ): Promise<DomainReport> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = (await checkDomains(t, [host])).hosts[0] as DomainReport;
      if (done(r) || Date.now() > deadline) return r;
      await sleep(500);
    }
  }
  const allPass = (r: DomainReport) => FACT_NAMES.every((n) => r.facts[n].status === 'pass');
  /** The faulted fact has `status` and a summary matching `shows`; every fact named in `untouched` passes. */
  async function expectFault(
    host: string,
    faulted: FactName,
    status: FactStatus,
    shows: RegExp,
    untouched: FactName[],
    t: FactTarget = target,
  ): Promise<DomainReport> {
    // The whole expectation converges, not its first part: right after a deploy the faulted fact can show before
    // the edge has taken the route's backend in (seen: routing 500 "backend cannot be loaded" for a moment).
    const r = await observe(
      host,
      (x) =>
        x.facts[faulted].status === status &&
        shows.test(x.facts[faulted].summary) &&
        untouched.every((n) => x.facts[n].status === 'pass'),
      t,
    );
    const seen = FACT_NAMES.map((n) => `${n}=${r.facts[n].status}: ${r.facts[n].summary}`).join(' | ');
    expect(r.facts[faulted].status, seen).toBe(status);
    expect(r.facts[faulted].summary, seen).toMatch(shows);
    if (status !== 'pass') expect(r.facts[faulted].remediation, 'a remedy').toBeTruthy();
    for (const n of untouched) expect(r.facts[n].status, `${n} must not be blamed: ${seen}`).toBe('pass');
    return r;
  }
  const healthyAgain = async (host: string, t: FactTarget = target) => {
    const r = await observe(host, allPass, t, 60_000);
    expect(FACT_NAMES.map((n) => `${n}=${r.facts[n].status}`).join(' ')).toBe(
      FACT_NAMES.map((n) => `${n}=pass`).join(' '),
    );
  };
  const redeploy = () => deployWithUserDns({ env, routing: 'current' }, 'shop');

  const lab = labForFile();
  beforeAll(async () => {
    ({ env, target } = lab.get());
    tmp = mkdtempSync(join(tmpdir(), 'skyprobe-facts-'));
    [ca, otherCa] = await Promise.all([
      makeTestCa(join(tmp, 'ca')),
      makeTestCa(join(tmp, 'other-ca'), 'some other CA'),
    ]);
    await env.k.core.createNamespace({ body: { metadata: { name: SCRATCH } } }).catch(() => undefined);
    await env.deploy(env.app('pop'), 'current');
  }, 180_000);

  afterAll(async () => {
    await env?.k.core.deleteNamespace({ name: SCRATCH }).catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  describe.each([...ROUTINGS].reverse())('a healthy host, %s routing', (routing) => {
    it('passes all four facts for every host of the app, and the workload is ready', async () => {
      await deployWithUserDns({ env, routing }, 'shop');
      for (const { host } of render(shop(), routing).hosts) {
        const r = await observe(host, allPass, target, 90_000);
        for (const n of FACT_NAMES) expect(r.facts[n].status, `${host} ${n}: ${r.facts[n].summary}`).toBe('pass');
        expect(r.workload.status).toBe('ready');
      }
    }, 240_000);
  });

  describe('each fault on the right fact (current routing)', () => {
    beforeAll(async () => {
      await redeploy();
      await healthyAgain('store.example.com');
    }, 120_000);

    it('metadata pointing at another deployment', async () => {
      const file = join(tmp, 'platform.yaml');
      const records = labMetadataSource(stackPaths(env.lab.dir).metadata).records.map((r) =>
        r.deployment === 'org-acme/shop' ? { ...r, deployment: 'org-pop/up' } : r,
      );
      writeFileSync(file, JSON.stringify(records));
      const t = await factTarget({ metadata: file }, execRunner, labFactSite());
      const r = await expectFault(
        'shop.example.com',
        'metadata',
        'fail',
        /belongs to org-pop\/up, but Ingress org-acme\/shop-domains sends it to org-acme\/shop/,
        ['routing', 'dns', 'tls'],
        t,
      );
      expect(r.facts.metadata.evidence).toMatchObject({
        deployment: 'org-pop/up',
        routedTo: ['org-acme/shop'],
        origin: file,
      });
    });

    it('route missing', async () => {
      await env.k.objects.delete({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'shop-domains', namespace: 'org-acme' },
      } as never);
      try {
        const r = await expectFault(
          'store.example.com',
          'routing',
          'fail',
          /no HTTPRoute or Ingress claims store\.example\.com/,
          ['metadata', 'dns'],
        );
        expect(r.facts.routing.evidence).toMatchObject({ claimants: [] });
      } finally {
        await redeploy();
      }
      await healthyAgain('store.example.com');
    }, 90_000);

    it('route not accepted (wrong parentRef)', async () => {
      const ref = {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'shop-generated', namespace: 'org-acme' },
      };
      const route = (await env.k.objects.read(ref as never)) as { spec: { parentRefs: { sectionName?: string }[] } };
      for (const p of route.spec.parentRefs)
        if (p.sectionName === listenerName(generated())) p.sectionName = 'https-nowhere';
      await env.k.objects.replace(route as never);
      try {
        await expectFault(
          generated(),
          'routing',
          'fail',
          /Accepted False \(NoMatchingParent|section https-nowhere does not exist/,
          ['metadata', 'dns', 'tls'],
        );
      } finally {
        await redeploy();
      }
      await healthyAgain(generated());
    }, 90_000);

    it('backend missing', async () => {
      await env.k.core.deleteNamespacedService({ name: 'shop', namespace: 'org-acme' });
      try {
        await expectFault(
          generated(),
          'routing',
          'fail',
          /ResolvedRefs False \(BackendNotFound|backend Service org-acme\/shop does not exist/,
          ['metadata', 'dns', 'tls'],
        );
      } finally {
        await redeploy();
      }
      await healthyAgain(generated());
    }, 90_000);

    it('zero ready endpoints while the workload is ready', async () => {
      await env.k.core.patchNamespacedService({
        name: 'shop',
        namespace: 'org-acme',
        body: [{ op: 'replace', path: '/spec/selector', value: { 'app.kubernetes.io/name': 'nobody' } }],
      });
      try {
        const r = await expectFault(generated(), 'routing', 'fail', /Service org-acme\/shop has no ready endpoints/, [
          'metadata',
          'dns',
          'tls',
        ]);
        expect(r.workload).toMatchObject({ status: 'ready', deployment: 'org-acme/shop', availableReplicas: 2 });
      } finally {
        await redeploy();
      }
      await healthyAgain(generated());
    }, 90_000);

    it('two routes claiming one host', async () => {
      const rival = faultRoute('rival', SCRATCH, listenerName(generated()), {
        hostnames: [generated()],
        rules: [{ backendRefs: [{ name: 'nobody', port: 80 }] }],
      });
      await rival.add(env);
      try {
        const r = await expectFault(
          generated(),
          'routing',
          'fail',
          /conflict: .*HTTPRoute org-acme\/shop-generated.* wins/,
          ['metadata', 'dns', 'tls'],
        );
        expect(r.facts.routing.evidence).toMatchObject({ winner: 'HTTPRoute org-acme/shop-generated' });
        expect(r.facts.routing.summary).toContain(`HTTPRoute ${SCRATCH}/rival`);
      } finally {
        await rival.remove(env);
      }
      await healthyAgain(generated());
    }, 90_000);

    const store = (r: { name: string }) => r.name === 'store.example.com';
    const dnsFaults: [string, () => Promise<void>, RegExp][] = [
      [
        'no DNS record',
        () => env.userDns.edit('example.com', store, []),
        /no A or AAAA record for store\.example\.com \(NXDOMAIN\)/,
      ],
      [
        'A record pointing elsewhere',
        () =>
          env.userDns.edit('example.com', store, [{ name: 'store.example.com', type: 'A', value: '198.51.100.99' }]),
        /A store\.example\.com -> 198\.51\.100\.99, but the edge is at 203\.0\.113\.10/,
      ],
      [
        'stray AAAA',
        () =>
          env.userDns.edit('example.com', () => false, [
            { name: 'store.example.com', type: 'AAAA', value: '2001:db8::99' },
          ]),
        /stray AAAA store\.example\.com -> 2001:db8::99/,
      ],
      [
        'CNAME chain ending elsewhere',
        () =>
          env.userDns.edit('example.com', store, [
            { name: 'store.example.com', type: 'CNAME', value: 'parked.example.com' },
            { name: 'parked.example.com', type: 'A', value: '198.51.100.98' },
          ]),
        /A store\.example\.com \(CNAME chain store\.example\.com -> parked\.example\.com\) -> 198\.51\.100\.98, but the edge is at/,
      ],
      [
        'CAA forbidding the CA',
        () =>
          env.userDns.edit('example.com', () => false, [
            { name: 'example.com', type: 'CAA', value: '0 issue "other-ca.example"' },
          ]),
        /CAA at example\.com .* forbids letsencrypt\.org/,
      ],
    ];
    for (const [name, inject, shows] of dnsFaults) {
      it(
        name,
        async () => {
          await inject();
          try {
            await expectFault('store.example.com', 'dns', 'fail', shows, ['metadata', 'routing', 'tls']);
          } finally {
            await env.userDns.edit(
              'example.com',
              (r) => r.type === 'CAA' || r.name === 'parked.example.com' || store(r),
              [],
            );
            await userPointsDomainsAtLb(env, shop());
          }
          await healthyAgain('store.example.com');
        },
        60_000,
      );
    }

    it('certificate pending: TLS pending while the workload is ready; exit 3', async () => {
      const late = env.app('late');
      const previous = env.metadata().find((m) => m.app === late.app && m.org === late.org);
      if (previous) await env.remove(late, previous.routing);
      const secret = render(late, 'current').hosts[0]?.tlsSecret as { name: string; namespace: string };
      await env.k.core.deleteNamespacedSecret(secret).catch(() => undefined);
      await env.blockPort('acme', 14000, true);
      try {
        await env.deploy(late, 'current');
        const r = await expectFault(late.generatedHost, 'tls', 'pending', /certificate .* not Ready yet/, [
          'metadata',
          'routing',
          'dns',
        ]);
        expect(r.workload.status).toBe('ready');
        const c = await cli(late.generatedHost, '--json');
        expect(c.exitCode, c.stderr).toBe(3);
        const json = JSON.parse(c.stdout) as { schema: string; hosts: { facts: Record<string, { status: string }> }[] };
        expect(json.schema).toBe('skyprobe.domains/v1');
        expect(json.hosts[0]?.facts.tls?.status).toBe('pending');
      } finally {
        await env.blockPort('acme', 14000, false);
        await env.remove(late, 'current');
      }
    }, 120_000);

    describe('what the edge serves, for a host with its own TLS Secret (trust root: a test CA)', () => {
      const host = 'tls.example.com';
      let t: FactTarget;
      const useLeaf = async (leaf: { cert: string; key: string }) => {
        const data = {
          'tls.crt': Buffer.from(leaf.cert).toString('base64'),
          'tls.key': Buffer.from(leaf.key).toString('base64'),
        };
        await env.k.core.deleteNamespacedSecret({ name: 'facts-tls', namespace: 'org-acme' }).catch(() => undefined);
        await env.k.core.createNamespacedSecret({
          namespace: 'org-acme',
          body: { metadata: { name: 'facts-tls' }, type: 'kubernetes.io/tls', data },
        });
      };
      const day = 86_400_000;
      beforeAll(async () => {
        const file = join(tmp, 'platform-tls.yaml');
        writeFileSync(file, `- deployment: org-acme/shop\n  hosts: [${host}]\n`);
        t = await factTarget({ metadata: file, ca: ca.cert }, execRunner, labFactSite());
        await env.userDns.edit('example.com', (r) => r.name === host, [{ name: host, type: 'A', value: LB_IP }]);
        await useLeaf(await issueLeaf(ca, host, new Date(Date.now() - day), new Date(Date.now() + day)));
        await env.k.objects.create({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'facts-tls', namespace: 'org-acme' },
          spec: {
            ingressClassName: 'traefik',
            tls: [{ hosts: [host], secretName: 'facts-tls' }],
            rules: [
              {
                host,
                http: {
                  paths: [
                    { path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } },
                  ],
                },
              },
            ],
          },
        } as never);
        await healthyAgain(host, t);
      }, 90_000);
      afterAll(async () => {
        await env.k.objects
          .delete({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { name: 'facts-tls', namespace: 'org-acme' },
          } as never)
          .catch(() => undefined);
        await env.k.core.deleteNamespacedSecret({ name: 'facts-tls', namespace: 'org-acme' }).catch(() => undefined);
        await env.userDns.edit('example.com', (r) => r.name === host, []);
      });
      const leaves: [string, () => Promise<{ cert: string; key: string }>, RegExp][] = [
        [
          'expired',
          () => issueLeaf(ca, host, new Date(Date.now() - 10 * day), new Date(Date.now() - day)),
          /the served certificate expired on/,
        ],
        [
          'not yet valid',
          () => issueLeaf(ca, host, new Date(Date.now() + day), new Date(Date.now() + 10 * day)),
          /the served certificate is not valid yet/,
        ],
        [
          'for another host',
          () => issueLeaf(ca, 'other.example.com', new Date(Date.now() - day), new Date(Date.now() + day)),
          /the served certificate is for .*, not tls\.example\.com/,
        ],
        [
          'from an untrusted chain',
          () => issueLeaf(otherCa, host, new Date(Date.now() - day), new Date(Date.now() + day)),
          /does not lead to the trust root/,
        ],
      ];
      for (const [name, leaf, shows] of leaves) {
        it(`certificate ${name}`, async () => {
          await useLeaf(await leaf());
          const r = await expectFault(host, 'tls', 'fail', shows, ['metadata', 'routing', 'dns'], t);
          expect(r.facts.tls.evidence).toHaveProperty('served.chain.0.subject');
        }, 60_000);
      }
    });
  });

  describe('silent servers and bad input', () => {
    it('an edge that does not answer: TLS unknown with the reason, within 5 s', async () => {
      const t = await factTarget({ edge: ['203.0.113.99'] }, execRunner, labFactSite());
      const t0 = Date.now();
      const r = (await checkDomains(t, [generated()])).hosts[0] as DomainReport;
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(r.facts.tls.status, r.facts.tls.summary).toBe('unknown');
      expect(r.facts.tls.summary).toMatch(/did not serve a certificate/);
    });

    it('public DNS that does not answer: DNS unknown, within 5 s, and nothing else blamed', async () => {
      await env.stopComponent('coredns-public');
      try {
        const t0 = Date.now();
        const r = (await checkDomains(target, [generated()])).hosts[0] as DomainReport;
        expect(Date.now() - t0).toBeLessThan(5_000);
        expect(r.facts.dns.status, r.facts.dns.summary).toBe('unknown');
        expect(r.facts.dns.summary).toMatch(/did not answer/);
        for (const n of ['metadata', 'routing', 'tls'] as const)
          expect(r.facts[n].status, r.facts[n].summary).toBe('pass');
      } finally {
        await env.startComponent('coredns-public');
      }
    });

    it('a --resolver that does not answer: one line, exit 2, within 5 s', async () => {
      const t0 = Date.now();
      const r = await cli(generated(), '--resolver', '198.51.100.99');
      expect(Date.now() - t0).toBeLessThan(5_000 + 2_500); // + the CLI's own start
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('error: resolver 198.51.100.99 did not answer');
      expect(r.stderr.trim().split('\n')).toHaveLength(2); // the error and its hint
    });
  });

  it('needs nothing but get/list/watch: passes under a ServiceAccount that may do nothing more', async () => {
    const name = 'domains-check-readonly';
    await env.k.core.createNamespacedServiceAccount({ namespace: SCRATCH, body: { metadata: { name } } });
    const rbac = { apiVersion: 'rbac.authorization.k8s.io/v1' };
    const role = {
      ...rbac,
      kind: 'ClusterRole',
      metadata: { name: `skyprobe-${name}` },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    };
    const binding = {
      ...rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: `skyprobe-${name}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `skyprobe-${name}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: SCRATCH }],
    };
    await env.k.objects.create(role as never);
    await env.k.objects.create(binding as never);
    try {
      const token = (
        await env.k.core.createNamespacedServiceAccountToken({
          name,
          namespace: SCRATCH,
          body: { spec: { audiences: [], expirationSeconds: 600 } },
        })
      ).status?.token as string;
      const cluster = env.k.kc.getCurrentCluster() as { server: string; caFile?: string };
      const kubeconfig = join(tmp, 'readonly.kubeconfig');
      const caData = Buffer.from(readFileSync(cluster.caFile as string)).toString('base64');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'lab', cluster: { server: cluster.server, 'certificate-authority-data': caData } }],
          users: [{ name, user: { token } }],
          contexts: [{ name: 'ro', context: { cluster: 'lab', user: name } }],
          'current-context': 'ro',
        }),
      );
      // The account really may not write: creating anything is refused.
      const write = await clientsFor(kubeconfig)
        .core.createNamespacedConfigMap({ namespace: SCRATCH, body: { metadata: { name: 'x' } } })
        .then(
          () => 201,
          (err: unknown) => apiStatus(err),
        );
      expect(write).toBe(403);
      const r = await cli(generated(), 'shop.example.com', '--kubeconfig', kubeconfig, '--json');
      expect(r.exitCode, `${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBe(0);
      const json = JSON.parse(r.stdout) as { hosts: { facts: Record<string, { status: string }> }[] };
      for (const h of json.hosts) for (const n of FACT_NAMES) expect(h.facts[n]?.status).toBe('pass');
    } finally {
      await env.k.objects.delete(binding as never).catch(() => undefined);
      await env.k.objects.delete(role as never).catch(() => undefined);
    }
  }, 60_000);
});
