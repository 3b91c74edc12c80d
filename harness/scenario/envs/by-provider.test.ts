/**
 * The map from provider to environment: every provider has one, the run's cluster comes from SKYPROBE_CLUSTER
 * (the embedded lab without it), and each provider's factory makes its own kind of environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMBEDDED_CAPABILITIES } from '../../providers/embedded/embedded-provider.ts';
import { PROVIDERS } from '../../providers/provider.ts';
import { fakeRunner } from '../../testing/fake-runner.ts';
import { ENVS, envFor, runCluster } from './by-provider.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skyprobe-envs-'));
  // No lab and no kind run on record here, whatever this machine runs.
  vi.stubEnv('SKYPROBE_RUN_DIR', join(dir, 'run'));
  vi.stubEnv('SKYPROBE_CACHE', join(dir, 'cache'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const kubeconfig = () => {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`,
  );
  return file;
};
const caps = { clusterScoped: false, createApps: true, faults: false, management: false };

describe('environments by provider', () => {
  it('has one factory per provider', () => {
    expect(Object.keys(ENVS).sort()).toEqual([...PROVIDERS].sort());
  });

  it("the run's cluster is SKYPROBE_CLUSTER's handle, or else the embedded lab", () => {
    expect(runCluster({})).toEqual({ provider: 'embedded', capabilities: EMBEDDED_CAPABILITIES });
    const h = { provider: 'existing', id: 'ab12cd', kubeconfig: '/k', capabilities: caps, created: false };
    expect(runCluster({ SKYPROBE_CLUSTER: JSON.stringify(h) })).toEqual(h);
  });

  it('existing: ClusterEnv only, in the run namespace, with none of the deploy, internet or lab members', () => {
    const h = { provider: 'existing' as const, id: 'ab12cd', kubeconfig: kubeconfig(), capabilities: caps };
    const e = envFor({ ...h, namespace: 'skyprobe-ab12cd', created: false }, fakeRunner([]).run);
    expect(e).toMatchObject({ provider: 'existing', capabilities: caps, namespace: 'skyprobe-ab12cd' });
    expect(typeof e.facts).toBe('function');
    expect(typeof e.diagnostics).toBe('function');
    for (const member of ['deploy', 'http', 'userDns', 'mgmt', 'lab', 'stopComponent']) expect(member in e).toBe(false);
  });

  it("embedded and kind: each provider's own env, which needs its own cluster", () => {
    expect(() => envFor(runCluster({}), fakeRunner([]).run)).toThrow(/no lab is running/);
    const kind = { provider: 'kind' as const, id: 'cd34ef', kubeconfig: kubeconfig(), capabilities: caps };
    expect(() => envFor({ ...kind, created: true }, fakeRunner([]).run)).toThrow(/no record of kind run cd34ef/);
  });
});
