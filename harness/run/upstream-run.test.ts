import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import type { ClusterHandle } from '../providers/provider.ts';
import { loadPinFile } from '../setup/components.ts';
import { PIN_FILE } from '../setup/setup.ts';
import type { Runner } from '../exec/runner.ts';
import {
  apiAnswersFromSuiteHost,
  checkCluster,
  isUpstreamSuite,
  prepareUpstream,
  upstreamScenarioTest,
} from './upstream-run.ts';

const pins = loadPinFile(join(repoRoot(), PIN_FILE));
const saved = process.env.SKYPROBE_CACHE;
afterEach(() => {
  if (saved === undefined) delete process.env.SKYPROBE_CACHE;
  else process.env.SKYPROBE_CACHE = saved;
});

const handle = (over: Partial<ClusterHandle['capabilities']>): ClusterHandle => ({
  provider: 'existing',
  id: 'x',
  kubeconfig: '/k',
  created: false,
  capabilities: { clusterScoped: true, createApps: true, faults: false, management: false, ...over },
});

describe('upstream suites in skyprobe run', () => {
  it('knows gateway-api as an upstream suite, and no area of the catalog as one', () => {
    expect(isUpstreamSuite('gateway-api')).toBe(true);
    expect(isUpstreamSuite('tls')).toBe(false);
  });

  it('refuses, before anything starts, a suite that setup has not built, naming the fix', () => {
    process.env.SKYPROBE_CACHE = mkdtempSync(join(tmpdir(), 'skyprobe-empty-cache-'));
    expect(() => prepareUpstream(pins, 'gateway-api')).toThrow(
      'the gateway-api suite v1.6.3 is not built (gateway-api: gateway-api-conformance)',
    );
  });

  it('gives the binary where the cache keeps it, not the path its manifest recorded at build time', () => {
    const root = mkdtempSync(join(tmpdir(), 'skyprobe-moved-cache-'));
    process.env.SKYPROBE_CACHE = root;
    const dir = join(root, 'gateway-api@v1.6.3');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    const recorded = { name: 'gateway-api-conformance', path: '/elsewhere/bin/gateway-api-conformance', verified: 'x' };
    writeFileSync(
      join(dir, 'component.json'),
      JSON.stringify({ name: 'gateway-api', version: 'v1.6.3', binaries: [recorded] }),
    );
    expect(prepareUpstream(pins, 'gateway-api').binary).toBe(join(dir, 'bin', 'gateway-api-conformance'));
  });

  it('refuses a provider that may not create namespaces and Gateways', () => {
    const p = { pin: pins.suites['gateway-api'] as NonNullable<(typeof pins.suites)['gateway-api']>, binary: '/b' };
    expect(() => checkCluster(p, handle({ clusterScoped: false }))).toThrow(
      'the gateway-api suite creates namespaces and Gateways: provider existing may not',
    );
    expect(() => checkCluster(p, handle({}))).not.toThrow();
  });

  it('--scenario GWAPI-<Name>: one upstream test of its suite; two at once, or a name that is none, refused', () => {
    expect(upstreamScenarioTest(['TLS-04'])).toBeUndefined();
    expect(upstreamScenarioTest(['TLS-04', 'GWAPI-HTTPRouteWeight'])).toEqual({
      suite: 'gateway-api',
      test: 'HTTPRouteWeight',
      ids: ['GWAPI-HTTPRouteWeight'],
    });
    expect(() => upstreamScenarioTest(['GWAPI-HTTPRouteWeight', 'gwapi-HTTPRouteMatching'])).toThrow(
      'the gateway-api suite runs one test at a time',
    );
    expect(() => upstreamScenarioTest(['GWAPI-http route'])).toThrow('"http route" is no upstream test name');
  });

  it('waits for the API to answer from where the suite runs (twice in a row), or says it does not, with the command', async () => {
    const answers = ['dial tcp 10.89.0.1:6443: i/o timeout', 'ok', 'ok'];
    const calls: string[][] = [];
    const run: Runner = async (file, args) => {
      calls.push([file, ...args]);
      const out = answers.shift() ?? 'ok';
      return {
        command: file,
        exitCode: out === 'ok' ? 0 : 1,
        output: out,
        timedOut: false,
        notFound: false,
        durationMs: 1,
      };
    };
    await apiAnswersFromSuiteHost(run, '/bin/kubectl', { kubeconfig: '/k', internetNetns: 'sky-x-internet' });
    expect(calls).toHaveLength(3);
    expect(calls[0]?.slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'sky-x-internet', '/bin/kubectl']);
    const never: Runner = async (file) => ({
      command: file,
      exitCode: 1,
      output: 'Unable to connect to the server: dial tcp 10.89.0.1:6443: i/o timeout',
      timedOut: false,
      notFound: false,
      durationMs: 1,
    });
    await expect(
      apiAnswersFromSuiteHost(never, '/bin/kubectl', { kubeconfig: '/k', internetNetns: 'ns' }, 1_000),
    ).rejects.toThrow(
      "the cluster's API does not answer from the lab's internet host (ns), where the upstream suite runs: Unable to connect to the server: dial tcp 10.89.0.1:6443: i/o timeout",
    );
  });
});
