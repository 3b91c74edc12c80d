/**
 * `skyprobe render fixtures/apps/shop.yaml --routing target` (and `current`) applied by `kubectl apply` gives what
 * `skyprobe deploy` gives (issue #17): the contract's kinds are CRDs of the lab and the lab's platform automation
 * (harness/automation/, stack/automation.ts) acts on them. For every host of shop, `domains check`'s four facts and
 * the endpoint after the kubectl apply equal those after `skyprobe deploy` of the same fixture (status and summary);
 * `kubectl wait --for=condition=Ready` on the contract's objects returns; `kubectl delete -f` of the same output
 * leaves no listener, no record, no metadata and none of the objects. Fault twins: a GatewayListener for a host that
 * is not the app's is refused (Ready False, NotTheAppsHost) and never reaches the Gateway; with the automation
 * stopped, the same output applied leaves the wait timing out and the generated host failing `domains check` at
 * the metadata fact and at DNS — and once it runs again, the host passes.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converge } from '../converge.ts';
import { checkDomains, type FactTarget } from '../facts/check.ts';
import { type DomainReport, FACT_NAMES } from '../facts/fact.ts';
import { repoRoot } from '../paths.ts';
import { stackPaths } from '../providers/embedded/stack.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { userPointsDomainsAtLb } from '../scenario/steps.ts';
import { cachePaths } from '../setup/cache.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE, componentBinary } from '../setup/setup.ts';
import { appHosts } from '../stack/app-fixture.ts';
import { metadataFile } from '../stack/deploy.ts';
import { gatewayRefOf } from '../stack/edge-gateways.ts';
import { GATEWAY_NAME } from '../stack/edge-objects.ts';
import { readRecords, SATUSKY_ZONE } from '../stack/public-dns.ts';
import { render } from '../stack/render.ts';
import { ROUTINGS } from '../stack/routing.ts';
import { labForFile } from './lab-for-file.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const FIXTURE = join(repoRoot(), 'fixtures', 'apps', 'shop.yaml');
const CONTRACT =
  'apprecords.renderer.skyprobe.dev,gatewaylisteners.renderer.skyprobe.dev,dnsrecords.renderer.skyprobe.dev';
/** How long the facts may take to pass after a deploy (certificates are issued by cert-manager through Pebble). */
const SETTLE_MS = 120_000;

/**
 * What a host's check says, fact by fact and the endpoint: status and summary, with what differs between any two
 * deploys masked (times, the pods' generated names, the validity of a newly issued certificate).
 */
const said = (r: DomainReport) =>
  Object.fromEntries(
    [...FACT_NAMES.map((n) => [n, r.facts[n]] as const), ['endpoint', r.endpoint] as const].map(([n, f]) => [
      n,
      `${f.status}: ${f.summary
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
        .replace(/valid until [A-Z][a-z]{2} [ \d]\d [\d:]+ \d{4} GMT/g, 'valid until <time>')
        .replace(/\bpod ([a-z0-9-]+)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, 'pod $1-<pod>')
        .replace(/\d+(\.\d+)? ?(ms|s)\b/g, '<t>')}`,
    ]),
  );

describe('render | kubectl apply gives what skyprobe deploy gives', () => {
  const lab = labForFile();
  let env: ScenarioEnv;
  let target: FactTarget;
  let tmp: string;
  /** The rendered output's file, by routing mode. */
  const rendered: Record<string, string> = {};
  const shop = () => env.app('shop');
  const hosts = () => appHosts(shop()).map((h) => h.host);
  /** setup's kubectl, found once (the pin file read once, not at every call). */
  const kubectlBin = componentBinary(loadPinFile(join(repoRoot(), PIN_FILE)), 'kubectl', cachePaths());
  const kubectl = (args: string[], o: { input?: string } = {}) =>
    execa(kubectlBin, ['--kubeconfig', env.lab.kubeconfig, ...args], { reject: false, input: o.input });
  /** Every host's check, once every fact and the endpoint pass for all (through the convergence rule). */
  async function allPass(): Promise<Record<string, Record<string, string>>> {
    const r = await converge(
      async () => {
        const report = await checkDomains(target, hosts());
        const ok = report.hosts.every(
          (h) => FACT_NAMES.every((n) => h.facts[n].status === 'pass') && h.endpoint.status === 'pass',
        );
        return { ok, evidence: Object.fromEntries(report.hosts.map((h) => [h.host, said(h)])) };
      },
      { timeoutMs: SETTLE_MS, intervalMs: 1_000, successes: 2 },
    );
    const last = r.attempts.at(-1)?.evidence as Record<string, Record<string, string>>;
    expect(r.ok, JSON.stringify(last, null, 2)).toBe(true);
    return last;
  }
  /** Nothing of shop is left: no listener on any edge Gateway, no record, no metadata, no objects. */
  async function nothingLeft(): Promise<void> {
    const gw = (await env.k.objects.read(gatewayRefOf(GATEWAY_NAME))) as { spec: { listeners: { name: string }[] } };
    const mine = new Set(ROUTINGS.flatMap((m) => render(shop(), m).listeners.map((l) => l.name)));
    expect(gw.spec.listeners.filter((l) => mine.has(l.name))).toEqual([]);
    expect(
      readRecords(stackPaths(env.lab.dir).zones, SATUSKY_ZONE).filter((r) => r.name === shop().generatedHost),
    ).toEqual([]);
    expect(existsSync(metadataFile(stackPaths(env.lab.dir).metadata, shop()))).toBe(false);
    const left = await kubectl([
      'get',
      `${CONTRACT},deployments,services,httproutes,ingresses`,
      '-n',
      shop().namespace,
      '-o',
      'name',
    ]);
    expect(left.stdout.trim()).toBe('');
  }
  /** `kubectl wait` until every contract object of the app is Ready, at most `timeout`. */
  const waitReady = (timeout: string) =>
    kubectl(['wait', '--for=condition=Ready', CONTRACT, '--all', '-n', 'org-acme', `--timeout=${timeout}`]);

  beforeAll(async () => {
    ({ env, target } = lab.get());
    tmp = mkdtempSync(join(tmpdir(), 'skyprobe-kubectl-'));
    // The fixture the lab knows is shop.yaml under its own names (no instance tag).
    expect(shop().namespace).toBe('org-acme');
    for (const routing of ROUTINGS) {
      const out = await execa('node', [bin, 'render', FIXTURE, '--routing', routing]);
      rendered[routing] = join(tmp, `shop-${routing}.yaml`);
      writeFileSync(rendered[routing], out.stdout);
    }
    await userPointsDomainsAtLb(env, shop());
  }, 60_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function strayListener(): Promise<void> {
    const stray = {
      apiVersion: 'renderer.skyprobe.dev/v1',
      kind: 'GatewayListener',
      metadata: { name: 'https-stray-example-org', namespace: 'org-acme' },
      spec: {
        name: 'https-stray-example-org',
        hostname: 'stray.example.org',
        port: 8443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'stray', namespace: 'satusky-edge' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    };
    expect((await kubectl(['apply', '-f', '-'], { input: JSON.stringify(stray) })).exitCode).toBe(0);
    const wait = await kubectl([
      'wait',
      '--for=condition=Ready=False',
      'gatewaylisteners/https-stray-example-org',
      '-n',
      'org-acme',
      '--timeout=20s',
    ]);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const why = await kubectl([
      'get',
      'gatewaylisteners/https-stray-example-org',
      '-n',
      'org-acme',
      '-o',
      'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}',
    ]);
    expect(why.stdout).toMatch(
      /^NotTheAppsHost: listener for stray.example.org, which no accepted AppRecord of org-acme claims/,
    );
    const gw = (await env.k.objects.read(gatewayRefOf(GATEWAY_NAME))) as { spec: { listeners: { name: string }[] } };
    expect(gw.spec.listeners.map((l) => l.name)).not.toContain('https-stray-example-org');
    expect(
      (await kubectl(['delete', 'gatewaylisteners/https-stray-example-org', '-n', 'org-acme', '--timeout=20s']))
        .exitCode,
    ).toBe(0);
  }

  for (const routing of ROUTINGS) {
    let viaDeploy: Record<string, Record<string, string>>;
    it(`[${routing}] skyprobe deploy: every host passes; then removed`, async () => {
      await env.deploy(shop(), routing);
      viaDeploy = await allPass();
      await env.remove(shop(), routing);
      await nothingLeft();
    }, 240_000);

    it(`[${routing}] kubectl apply of the rendered output: Ready, and the same facts and endpoint for every host`, async () => {
      const applied = await kubectl(['apply', '-f', rendered[routing] as string]);
      expect(applied.exitCode, applied.stderr).toBe(0);
      const wait = await waitReady('30s');
      expect(wait.exitCode, wait.stderr).toBe(0);
      const viaKubectl = await allPass();
      expect(viaKubectl).toEqual(viaDeploy);
    }, 240_000);

    if (routing === 'target')
      it(
        '[target] fault twin: a listener for a host that is not the app’s is refused and never reaches the Gateway',
        strayListener,
        60_000,
      );

    it(`[${routing}] kubectl delete -f of the same output leaves nothing`, async () => {
      const del = await kubectl(['delete', '-f', rendered[routing] as string, '--timeout=60s']);
      expect(del.exitCode, del.stderr).toBe(0);
      await nothingLeft();
    }, 90_000);
  }

  it('fault twin: with the automation stopped the objects never get Ready and the generated host fails metadata and DNS', async () => {
    await env.stopComponent('automation');
    try {
      expect((await kubectl(['apply', '-f', rendered.target as string])).exitCode).toBe(0);
      const wait = await waitReady('10s');
      expect(wait.exitCode).not.toBe(0);
      expect(wait.stderr).toMatch(/timed out waiting for the condition/);
      const r = (await checkDomains(target, [shop().generatedHost])).hosts[0] as DomainReport;
      expect(r.facts.metadata.status, r.facts.metadata.summary).toBe('fail');
      expect(r.facts.dns.status, r.facts.dns.summary).not.toBe('pass');
    } finally {
      await env.startComponent('automation');
    }
    // Running again, it catches up with what was applied meanwhile.
    const wait = await kubectl(['wait', '--for=condition=Ready', CONTRACT, '--all', '-n', 'org-acme', '--timeout=30s']);
    expect(wait.exitCode, wait.stderr).toBe(0);
    const del = await kubectl(['delete', '-f', rendered.target as string, '--timeout=60s']);
    expect(del.exitCode, del.stderr).toBe(0);
    await nothingLeft();
  }, 120_000);
});
