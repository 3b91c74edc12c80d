import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { componentDir, cachePaths } from './cache.ts';
import { loadPinFile } from './components.ts';
import { PIN_FILE, checkSetup } from './setup.ts';

// The real binaries that `skyprobe setup` built (npm test runs setup before the tests).
describe('the built components', () => {
  const pins = loadPinFile(join(repoRoot(), PIN_FILE));

  it('every pinned binary runs and reports its pinned version', async () => {
    const res = await checkSetup({ repoRoot: repoRoot() });
    expect(res.debian.missing).toEqual([]);
    for (const c of res.components) {
      expect(c, `${c.name}: ${c.detail ?? ''}`).toMatchObject({ state: 'cached' });
      const spec = pins.components.find((p) => p.name === c.name);
      expect(c.verified.map((v) => v.binary)).toEqual(spec?.binaries.map((b) => b.name));
    }
    expect(res.ok).toBe(true);
  });

  it('the Gateway API and cert-manager CRDs were taken from the module cache', () => {
    const gw = pins.components.find((c) => c.name === 'gateway-api');
    const cm = pins.components.find((c) => c.name === 'cert-manager');
    if (!gw || !cm) throw new Error('pin file lacks gateway-api or cert-manager');
    const standard = readdirSync(join(componentDir(cachePaths(), gw), 'crds', 'standard'));
    expect(standard).toEqual(
      expect.arrayContaining(['gateway.networking.k8s.io_gateways.yaml', 'gateway.networking.k8s.io_httproutes.yaml']),
    );
    const cmCrds = readdirSync(join(componentDir(cachePaths(), cm), 'crds'));
    expect(cmCrds).toEqual(
      expect.arrayContaining(['cert-manager.io_certificates.yaml', 'acme.cert-manager.io_challenges.yaml']),
    );
    expect(existsSync(join(componentDir(cachePaths(), cm), 'bin', 'acmesolver'))).toBe(true);
  });
});
