import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../exec/runner.ts';
import { loadPinFile } from '../setup/components.ts';
import type { Clients } from '../k8s/client.ts';
import { REPORT_FILE, runGatewayApiSuite, suiteArgs, suiteNamespacesGone } from './gateway-api.ts';

const pin = loadPinFile(new URL('../../fixtures/components.yaml', import.meta.url).pathname).suites['gateway-api'];
if (!pin) throw new Error('the pin file has no gateway-api suite');
const events = readFileSync(new URL('../../fixtures/upstream/gateway-api-events.jsonl', import.meta.url), 'utf8');
const yaml = readFileSync(new URL('../../fixtures/upstream/gateway-api-report.yaml', import.meta.url), 'utf8');

describe('the Gateway API suite run', () => {
  it('tells the suite the pin file: class, profiles, features, implementation, known failures skipped', () => {
    const args = suiteArgs(pin, '/out');
    expect(args).toEqual(
      expect.arrayContaining([
        '-test.run=^TestConformance$',
        '-test.v=test2json',
        '-gateway-class=traefik',
        '-conformance-profiles=GATEWAY-HTTP',
        '-report-output=/out/gateway-api-report.yaml',
        '-project=traefik',
        '-version=v3.6.12',
        `-supported-features=${pin.supportedFeatures.join(',')}`,
        `-skip-tests=${Object.keys(pin.knownFailures).join(',')}`,
      ]),
    );
    // One test asked for runs as asked, a known failure included.
    const one = suiteArgs(pin, '/out', 'HTTPRouteNoBackendRefs');
    expect(one).toContain('-run-test=HTTPRouteNoBackendRefs');
    expect(one.some((a) => a.startsWith('-skip-tests'))).toBe(false);
  });

  it('runs the binary under test2json in the given namespace, folds its events and reads its report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'skyprobe-gwapi-'));
    const calls: { file: string; args: readonly string[]; env?: Record<string, string | undefined> }[] = [];
    const run: Runner = async (file, args, opts = {}) => {
      calls.push({ file, args, env: opts.env });
      for (const line of events.split('\n')) opts.onLine?.(line);
      writeFileSync(join(out, REPORT_FILE), yaml);
      return { command: file, exitCode: 0, output: '', timedOut: false, notFound: false, durationMs: 1234 };
    };
    const seen: string[] = [];
    const r = await runGatewayApiSuite({
      pin,
      binary: '/bin/gwc',
      kubeconfig: '/k',
      netns: 'sky-x-internet',
      outDir: out,
      run,
      onTest: (e) => seen.push(e.started ? `start ${e.started}` : `end ${e.ended?.name} ${e.ended?.status}`),
    });
    expect(calls[0]?.file).toBe('ip');
    expect(calls[0]?.args.slice(0, 8)).toEqual([
      'netns',
      'exec',
      'sky-x-internet',
      'go',
      'tool',
      'test2json',
      '-t',
      '-p',
    ]);
    expect(calls[0]?.args).toContain('/bin/gwc');
    expect(calls[0]?.env?.KUBECONFIG).toBe('/k');
    expect(r.tests).toHaveLength(4);
    expect(r.report?.profiles[0]?.core.passed).toBe(33);
    expect(seen).toContain('start HTTPRouteSimpleSameNamespace');
    expect(seen).toContain('end HTTPRouteSimpleSameNamespace passed');
    expect(seen).toContain('end MeshHTTPRouteMatching skipped');
  });

  it('says why when the report is not one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'skyprobe-gwapi-'));
    const run: Runner = async () => {
      writeFileSync(join(out, REPORT_FILE), 'kind: Other\n');
      return { command: 'x', exitCode: 1, output: '', timedOut: false, notFound: false, durationMs: 1 };
    };
    const r = await runGatewayApiSuite({ pin, binary: '/b', kubeconfig: '/k', outDir: out, run });
    expect(r.report).toBeUndefined();
    expect(r.reportError).toContain('not a ConformanceReport');
  });

  it("waits until an earlier run's suite namespaces are gone; an Active one left by a killed run does not hold it", async () => {
    let calls = 0;
    const ns = (name: string, phase: string) => ({ metadata: { name }, status: { phase } });
    const k = {
      core: {
        listNamespace: async () => {
          calls += 1;
          return {
            items: [
              ns('gateway-conformance-app-backend', 'Active'),
              ns('org-acme', 'Terminating'),
              ...(calls < 3 ? [ns('gateway-conformance-infra', 'Terminating')] : []),
            ],
          };
        },
      },
    } as unknown as Clients;
    await suiteNamespacesGone(k);
    expect(calls).toBe(3);
  });
});
