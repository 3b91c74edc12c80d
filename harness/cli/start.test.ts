/**
 * What the CLI loads to start: --help loads commander and the verbs' own small modules, never the lab, vitest, the
 * Kubernetes client or execa (each verb imports what it uses when it runs). Which of dist/ and the TypeScript the
 * bin runs: harness/compiled.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cliModules } from '../testing/loaded-modules.ts';

/** Packages (or their bundles in dist/vendor/, scripts/build.mjs) and harness folders loaded only when a verb runs. */
const HEAVY_PACKAGES =
  /^(node_modules\/(@kubernetes|vitest|@vitest|vite|execa|undici|zx|yaml|testcontainers|@grpc)\/|dist\/vendor\/)/;
const HEAVY_HARNESS =
  /^(dist\/)?harness\/(run|report\/(?!names\.)|scenario|setup|k8s|probes|exec|providers\/(?!embedded\/address-plan\.)|facts\/(?!each-host\.))/;

describe('CLI start', () => {
  it('--help loads no lab, vitest, Kubernetes client, execa or report module', async () => {
    const r = await cliModules(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}domains check /m);
    expect(r.modules.some((m) => /harness\/cli\/main\.(ts|js)$/.test(m))).toBe(true);
    expect(r.modules.filter((m) => HEAVY_PACKAGES.test(m))).toEqual([]);
    expect(r.modules.filter((m) => HEAVY_HARNESS.test(m))).toEqual([]);
  });

  it('a verb loads what it uses when it runs: domains check loads the Kubernetes client, not vitest or the run', async () => {
    const r = await cliModules(['domains', 'check', 'shop.example.com', '--kubeconfig', '/nonexistent']);
    expect(r.stderr).toContain('error: kubeconfig /nonexistent does not exist');
    expect(
      r.modules.some(
        (m) => m.startsWith('node_modules/@kubernetes/client-node/') || m === 'dist/vendor/kubernetes-client-node.js',
      ),
    ).toBe(true);
    expect(r.modules.filter((m) => /node_modules\/(vitest|@vitest|vite|testcontainers)\//.test(m))).toEqual([]);
    expect(
      r.modules.filter((m) => /^(dist\/)?harness\/(run\/|report\/(?!names\.)|scenario\/|setup\/)/.test(m)),
    ).toEqual([]);
  });
});
