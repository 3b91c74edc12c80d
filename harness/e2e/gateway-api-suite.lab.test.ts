/**
 * The upstream Gateway API conformance suite in skyprobe, end to end on a lab (a kept one, or one of its own):
 * `skyprobe run --suite gateway-api` passes the GATEWAY-HTTP profile as Traefik v3.6.12 declares it (core and the
 * extended features of the pin file, the pinned known failures skipped), with every upstream test in the report;
 * its twin runs one known failure alone and must fail, with the suite's evidence, so a failing upstream test
 * shows as a failed run.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../log.ts';
import { type RunOptions, runConformance } from '../run/run.ts';
import { loadPinFile } from '../setup/components.ts';
import { repoRoot } from '../paths.ts';
import { PIN_FILE } from '../setup/setup.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { labForFile } from './lab-for-file.ts';

// One lab for the file (a kept one, or its own): both runs attach to it, as `skyprobe run` does to a running lab.
const lab = labForFile();
const pin = loadPinFile(join(repoRoot(), PIN_FILE)).suites['gateway-api'];
const out = () => mkdtempSync(join(tmpdir(), 'skyprobe-gwapi-run-'));

/** A run that ran: `--suite gateway-api` always has something to run. */
async function ran(o: RunOptions) {
  const r = await runConformance(o);
  if ('nothing' in r) throw new Error(`nothing ran: ${r.nothing}`);
  return r;
}

describe('skyprobe run --suite gateway-api', () => {
  it(
    'passes GATEWAY-HTTP: core, and every extended feature Traefik declares; 0 failed',
    async () => {
      const dir = out();
      const { report, exitCode } = await ran({
        suites: ['gateway-api'],
        routing: 'both',
        out: dir,
        progress: silentProgress,
      });
      expect(report.scenarios.filter((s) => s.status === 'failed').map((s) => `${s.id}: ${s.message}`)).toEqual([]);
      expect(exitCode).toBe(0);
      const [suite] = report.upstream ?? [];
      expect(suite).toMatchObject({ name: 'gateway-api', version: pin?.version, exitCode: 0 });
      expect(suite?.problem).toBeUndefined();
      const http = suite?.profiles.find((p) => p.name === 'GATEWAY-HTTP');
      const known = Object.keys(pin?.knownFailures ?? {}).length;
      expect(http?.core).toMatchObject({ failed: 0, skipped: known });
      // Traefik's published report for 3.6 (the v1.4.0 suite) has 33 core tests; the pinned v1.6.3 suite has 36.
      expect(http?.core.passed).toBeGreaterThanOrEqual(33);
      expect(http?.extended).toMatchObject({ result: 'success', failed: 0, passed: 13 });
      expect([...(http?.extended?.supportedFeatures ?? [])].sort()).toEqual([...(pin?.supportedFeatures ?? [])].sort());
      // Every upstream test is an entry of its own, with the suite as its area; the suite's files are kept.
      const entries = report.scenarios.filter((s) => s.suite === 'gateway-api');
      expect(entries.length).toBeGreaterThan(100);
      expect(entries.filter((s) => s.status === 'passed')).toHaveLength((http?.core.passed ?? 0) + 13);
      expect(entries.every((s) => s.id.startsWith('GWAPI-') && s.area === 'gateway-api' && !s.routing)).toBe(true);
      for (const f of ['gateway-api-report.yaml', 'gateway-api.log', 'report.json', 'junit.xml', 'index.html'])
        expect(existsSync(join(dir, f))).toBe(true);
    },
    TIMEOUTS.upstreamSuite,
  );

  it(
    'twin: a known failure run alone (--scenario GWAPI-<Name>) fails, with the suite evidence, and exit 1',
    async () => {
      const { report, exitCode } = await ran({
        suites: [],
        routing: 'both',
        out: out(),
        scenarios: ['GWAPI-HTTPRouteNoBackendRefs'],
        progress: silentProgress,
      });
      expect(exitCode).toBe(1);
      const t = report.scenarios.find((s) => s.id === 'GWAPI-HTTPRouteNoBackendRefs');
      expect(t?.status).toBe('failed');
      expect(t?.checks.filter((c) => c.status === 'failed').length).toBeGreaterThan(0);
      expect((t?.notes?.log as string[]).join('\n')).toMatch(/expected status code to be one of \[500\], got 503/);
      expect(report.upstream?.[0]?.profiles[0]?.core.failed).toBe(1);
    },
    TIMEOUTS.upstreamSuite,
  );
});
