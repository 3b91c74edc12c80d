/**
 * Scenario needs against provider capabilities: each unmet need gives its own one-line reason, and the catalog's
 * needs leave exactly the lab-bound scenarios skipped on kind (and only the read-only ones running on an
 * existing cluster, as existing.lab.test.ts expects of a real run).
 */
import { describe, expect, it } from 'vitest';
import { EMBEDDED_CAPABILITIES } from '../providers/embedded/embedded-provider.ts';
import { KIND_CAPABILITIES } from '../providers/kind/kind-provider.ts';
import type { Capabilities } from '../providers/provider.ts';
import { type Need, unmetNeeds } from './define.ts';
import { loadScenarios } from './load.ts';

/** What the existing provider reports when it may create its namespace and apps in it (existing-provider.ts). */
const EXISTING: Capabilities = {
  clusterScoped: false,
  createApps: true,
  faults: false,
  management: false,
  internet: false,
  labHooks: false,
};
const LAB = /^needs the embedded lab's own hooks \(capability labHooks: [^;]*\), which provider kind does not have$/;

describe('unmetNeeds', () => {
  it('a read-only scenario runs everywhere; an undeclared one needs the lab', () => {
    for (const caps of [EMBEDDED_CAPABILITIES, KIND_CAPABILITIES, EXISTING])
      expect(unmetNeeds({ needs: [] }, caps, 'x')).toBeUndefined();
    expect(unmetNeeds({}, EMBEDDED_CAPABILITIES, 'embedded')).toBeUndefined();
    expect(unmetNeeds({}, KIND_CAPABILITIES, 'kind')).toMatch(LAB);
  });

  it('deploy needs cluster-scoped objects and apps; internet needs its capability', () => {
    const deploy = { needs: ['deploy'] as Need[] };
    expect(unmetNeeds(deploy, KIND_CAPABILITIES, 'kind')).toBeUndefined();
    expect(unmetNeeds(deploy, { ...KIND_CAPABILITIES, createApps: false }, 'kind')).toMatch(
      /^needs to deploy apps as the platform does, creating org namespaces \(capabilities clusterScoped and createApps\)/,
    );
    expect(unmetNeeds(deploy, EXISTING, 'existing')).toMatch(/which provider existing does not have$/);
    expect(unmetNeeds({ needs: ['internet'] }, KIND_CAPABILITIES, 'kind')).toBeUndefined();
    expect(unmetNeeds({ needs: ['internet'] }, { ...KIND_CAPABILITIES, internet: undefined }, 'kind')).toMatch(
      /^needs to act as a user on the internet: .*\(capability internet\), which provider kind does not have$/,
    );
    expect(unmetNeeds({ needs: ['apps'] }, { ...EXISTING, createApps: false }, 'existing')).toBe(
      "needs to create apps in the run's namespace, which this account may not (RBAC)",
    );
  });

  it('gives one reason per unmet need, on one line', () => {
    const why = unmetNeeds({ needs: ['deploy', 'internet', 'lab'] }, EXISTING, 'existing') as string;
    const reasons = why.split('; ');
    expect(reasons.map((r) => r.slice(0, 20))).toEqual([
      'needs the embedded l',
      'needs to deploy apps',
      'needs to act as a us',
    ]);
    for (const r of reasons) expect(r).toMatch(/which provider existing does not have$/);
    expect(why).not.toContain('\n');
    expect(unmetNeeds({ needs: ['deploy', 'internet', 'lab'] }, KIND_CAPABILITIES, 'kind')).toMatch(LAB);
  });
});

const scenarios = await loadScenarios();

describe("the catalog's needs", () => {
  const skipped = (caps: Capabilities, provider: string) =>
    Object.fromEntries(
      scenarios.flatMap((s) => {
        const why = unmetNeeds(s, caps, provider);
        return why ? [[s.id, why]] : [];
      }),
    );

  it('on kind, only the scenarios bound to the lab are skipped, each for the lab alone', () => {
    const kind = skipped(KIND_CAPABILITIES, 'kind');
    // DNS-03: env.inPod and env.edgeAccessLog; MG-01..03: env.mgmt.
    expect(Object.keys(kind).sort()).toEqual(['DNS-03', 'MG-01', 'MG-02', 'MG-03']);
    for (const [id, why] of Object.entries(kind)) expect(why, id).toMatch(LAB);
    expect(
      scenarios
        .filter((s) => s.needs?.includes('lab'))
        .map((s) => s.id)
        .sort(),
    ).toEqual(Object.keys(kind).sort());
  });

  it('on the embedded lab nothing is skipped; on an existing cluster only the read-only scenarios run', () => {
    expect(skipped(EMBEDDED_CAPABILITIES, 'embedded')).toEqual({});
    const existing = skipped(EXISTING, 'existing');
    expect(scenarios.map((s) => s.id).filter((id) => !existing[id])).toEqual(['ST-01', 'ST-02']);
  });

  it('every scenario declares its needs (none relies on the default)', () => {
    expect(scenarios.filter((s) => s.needs === undefined).map((s) => s.id)).toEqual([]);
  });
});
