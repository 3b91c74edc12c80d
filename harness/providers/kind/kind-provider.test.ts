import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../../errors.ts';
import { silentProgress } from '../../log.ts';
import { type Rule, fakeRunner } from '../../testing/fake-runner.ts';
import type { ContainerSpec } from './containers.ts';
import { installPlan } from './install-plan.ts';
import { kindConfig } from './kind-config.ts';
import { kindProvider, loadKindPins } from './kind-provider.ts';
import { newRunRecord, readRun, writeRun } from './runs.ts';

const pins = loadKindPins();
let env: NodeJS.ProcessEnv;
let started: ContainerSpec[];
beforeEach(() => {
  env = { SKYPROBE_CACHE: mkdtempSync(join(tmpdir(), 'skyprobe-kind-')) };
  started = [];
});
afterEach(() => rmSync(env.SKYPROBE_CACHE as string, { recursive: true, force: true }));

const TLS = { caPem: 'LISTENER-CA\n', certPem: 'CERT', keyPem: 'KEY' };
function provider() {
  return kindProvider({
    env,
    deps: {
      newId: () => 'ab12cd',
      makeTls: async () => TLS,
      fetchFromPebble: async (url) => (url === 'https://localhost:45000/roots/0' ? 'PEBBLE-ROOT' : 'wrong url'),
      startContainer: async (spec) => {
        started.push(spec);
        return {
          name: spec.name,
          ip: spec.role === 'public-dns' ? '172.18.0.3' : '172.18.0.4',
          host: 'localhost',
          port: (p) => 30000 + p,
        };
      },
    },
  });
}
const machine = (extra: Rule[] = []) =>
  fakeRunner([
    ...extra,
    { match: /^docker info/, reply: { output: '29.1.0' } },
    { match: /^kind version$/, reply: { output: 'kind v0.33.0 go1.26.3 linux/amd64' } },
    { match: /^kubectl version --client$/, reply: {} },
    { match: /^kind (create|delete) cluster/, reply: {} },
    // kind's network exists already (an earlier cluster made it): not this run's to remove
    { match: /^docker network inspect kind$/, reply: { output: '[{"Name": "kind"}]' } },
    { match: /^docker inspect/, reply: { output: '172.18.0.2\n' } },
    { match: /^docker ps/, reply: { output: 'c0ffee000001\n' } },
    { match: /^(docker rm|kubectl --kubeconfig)/, reply: {} },
  ]);

describe('kind provider: up and down', () => {
  it('creates the cluster, starts DNS and Pebble beside it, then runs the install plan in order', async () => {
    const m = machine();
    const h = await provider().up({ run: m.run, progress: silentProgress });
    const rec = readRun('ab12cd', env);
    expect(h).toEqual({
      provider: 'kind',
      id: 'ab12cd',
      kubeconfig: rec?.kubeconfig,
      created: true,
      capabilities: {
        clusterScoped: true,
        createApps: true,
        faults: false,
        management: false,
        internet: true,
        labHooks: false,
      },
      // The domain facts reach the cluster through its public DNS container, the node's address and Pebble's root.
      probes: { resolver: '172.18.0.3', edge: ['172.18.0.2'], ca: rec?.pebbleRoot, metadata: `${rec?.dir}/metadata` },
    });
    const lines = m.calls.map((c) => c.line);
    expect(lines.slice(3, 6)).toEqual([
      'docker network inspect kind',
      `kind create cluster --name skyprobe-ab12cd --config - --kubeconfig ${rec?.kubeconfig} --wait 180s`,
      'docker inspect --format {{(index .NetworkSettings.Networks "kind").IPAddress}} skyprobe-ab12cd-control-plane',
    ]);
    expect(m.calls[4]?.opts.input).toBe(kindConfig(pins, 'ab12cd'));
    expect(rec?.madeNetwork, 'kind had its network already').toBeUndefined();
    const plan = installPlan(pins, {
      edgeIp: '172.18.0.2',
      publicDnsIp: '172.18.0.3',
      acme: { directory: 'https://skyprobe-ab12cd-acme:14000/dir', caPem: TLS.caPem },
      // kind's default profile (stack/issuance.ts DEFAULT_ISSUANCE)
      issuance: 'faithful',
    });
    expect(lines.slice(6)).toEqual(plan.map((s) => ['kubectl', '--kubeconfig', rec?.kubeconfig, ...s.args].join(' ')));
    expect(started.map((s) => [s.role, s.image, s.network])).toEqual([
      ['public-dns', 'docker.io/coredns/coredns:1.14.7', 'kind'],
      ['acme', 'ghcr.io/letsencrypt/pebble:2.10.1', 'kind'],
    ]);
    expect(started[1]?.command).toContain('172.18.0.3:53');
    expect(rec).toMatchObject({
      status: 'up',
      edgeIp: '172.18.0.2',
      publicDnsIp: '172.18.0.3',
      acmeDirectory: 'https://skyprobe-ab12cd-acme:14000/dir',
    });
    expect(readFileSync(rec?.pebbleRoot as string, 'utf8')).toBe('PEBBLE-ROOT\n');
    expect(readFileSync(join(rec?.zonesDir as string, 'db.satusky.com'), 'utf8')).toContain('ns1 60 IN A 172.18.0.3');
  });

  it('removes the cluster and the labelled containers when a step fails, and names the failed command', async () => {
    const m = machine([
      {
        match: /patch deployment\/cert-manager/,
        reply: { exitCode: 1, output: 'Error from server (NotFound): deployments.apps "cert-manager" not found' },
      },
    ]);
    const err = await provider()
      .up({ run: m.run, progress: silentProgress })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({
      message: 'failed to cert-manager controller flags',
      commandExitCode: 1,
      outputTail: expect.stringContaining('NotFound'),
    });
    expect((err as CommandError).command).toMatch(
      /^kubectl --kubeconfig \S+ -n cert-manager patch deployment\/cert-manager --type=json -p /,
    );
    const lines = m.calls.map((c) => c.line);
    expect(lines.slice(-3)).toEqual([
      `kind delete cluster --name skyprobe-ab12cd --kubeconfig ${env.SKYPROBE_CACHE}/kind/ab12cd/kubeconfig`,
      'docker ps --all --quiet --filter label=io.skyprobe.run=ab12cd',
      'docker rm --force --volumes c0ffee000001',
    ]);
    expect(readRun('ab12cd', env)).toBeUndefined();
  });

  it('keeps what it made when asked to, for inspection', async () => {
    const m = machine([{ match: /rollout status deployment\/traefik/, reply: { exitCode: 1, timedOut: true } }]);
    await expect(provider().up({ run: m.run, progress: silentProgress, keep: true })).rejects.toThrow(
      /Traefik ready \(timed out/,
    );
    expect(m.calls.some((c) => c.line.startsWith('kind delete'))).toBe(false);
    expect(readRun('ab12cd', env)?.keep).toBe(true);
  });

  it('down removes by name and label; with keep it leaves everything and says how to remove it', async () => {
    const m = machine();
    const h = await provider().up({ run: m.run, progress: silentProgress });
    const kept = machine();
    const lines: string[] = [];
    await provider().down(h, {
      run: kept.run,
      progress: { ...silentProgress, info: (l) => lines.push(l) },
      keep: true,
    });
    expect(kept.calls).toEqual([]);
    expect(lines.join('\n')).toContain(
      `remove it with: kind delete cluster --name skyprobe-ab12cd --kubeconfig ${h.kubeconfig} && docker ps --all --quiet --filter label=io.skyprobe.run=ab12cd | xargs -r docker rm`,
    );
    const d = machine();
    await provider().down(h, { run: d.run, progress: silentProgress });
    expect(d.calls.map((c) => c.line)).toEqual([
      `kind delete cluster --name skyprobe-ab12cd --kubeconfig ${env.SKYPROBE_CACHE}/kind/ab12cd/kubeconfig`,
      'docker ps --all --quiet --filter label=io.skyprobe.run=ab12cd',
      'docker rm --force --volumes c0ffee000001',
    ]);
    expect(readRun('ab12cd', env)).toBeUndefined();
  });

  it("a run that made kind's network removes it in down, unless a container still uses it", async () => {
    const fresh = (containers: string) =>
      machine([
        { match: /^docker network inspect kind$/, reply: { exitCode: 1, output: 'Error: No such network: kind' } },
        { match: /^docker network inspect --format \{\{len \.Containers\}\} kind$/, reply: { output: containers } },
        { match: /^docker network rm kind$/, reply: {} },
      ]);
    const m = fresh('0');
    const h = await provider().up({ run: m.run, progress: silentProgress });
    expect(readRun('ab12cd', env)?.madeNetwork).toBe('kind');
    await provider().down(h, { run: m.run, progress: silentProgress });
    expect(m.calls.map((c) => c.line).at(-1)).toBe('docker network rm kind');
    const shared = fresh('1');
    const h2 = await provider().up({ run: shared.run, progress: silentProgress });
    await provider().down(h2, { run: shared.run, progress: silentProgress });
    expect(shared.calls.map((c) => c.line)).not.toContain('docker network rm kind');
  });

  it('tears down a run whose harness was killed before it starts a new one, and leaves kept runs alone', async () => {
    const dead = {
      ...newRunRecord('dead01', 'skyprobe-dead01', false, { http: 80, https: 443, listenAddress: '127.0.0.1' }, env),
      ownerPid: 2 ** 31 - 2,
    };
    const kept = {
      ...newRunRecord('kept01', 'skyprobe-kept01', true, { http: 80, https: 443, listenAddress: '127.0.0.1' }, env),
      ownerPid: 2 ** 31 - 2,
    };
    writeRun(dead);
    writeRun(kept);
    const m = machine();
    await provider().up({ run: m.run, progress: silentProgress });
    const lines = m.calls.map((c) => c.line);
    expect(lines).toContain(`kind delete cluster --name skyprobe-dead01 --kubeconfig ${dead.kubeconfig}`);
    expect(lines.some((l) => l.includes('skyprobe-kept01'))).toBe(false);
    expect(existsSync(dead.dir)).toBe(false);
    expect(existsSync(kept.dir)).toBe(true);
  });

  it('refuses to start where it cannot run, with the fix as the hint', async () => {
    const m = fakeRunner([
      {
        match: /^docker info/,
        reply: { exitCode: 1, output: 'permission denied while trying to connect to the Docker daemon socket' },
      },
    ]);
    await expect(provider().up({ run: m.run, progress: silentProgress })).rejects.toMatchObject({
      message:
        'the kind provider cannot run here: docker info failed: permission denied while trying to connect to the Docker daemon socket',
      hint: 'start the Docker daemon or give this user access to its socket',
    });
  });
});
