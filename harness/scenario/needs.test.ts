/**
 * Scenario needs against provider capabilities: each unmet need gives its own one-line reason, and the catalog's
 * needs leave exactly the lab-bound and management scenarios skipped on kind, each for its own reason (and only the
 * read-only ones running on an existing cluster, as existing.lab.test.ts expects of a real run). Fault twins run
 * only where the capability faults is.
 */
import { describe, expect, it } from 'vitest';
import { EMBEDDED_CAPABILITIES } from '../providers/embedded/embedded-provider.ts';
import { KIND_CAPABILITIES } from '../providers/kind/kind-provider.ts';
import type { Capabilities } from '../providers/provider.ts';
import { type Need, faultsUnmet, unmetNeeds } from './define.ts';
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
const MANAGEMENT = /^needs the management path \(capability management: [^;]*\), which provider kind does not have$/;

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

  it('management needs its capability, apart from the lab hooks', () => {
    expect(unmetNeeds({ needs: ['management'] }, EMBEDDED_CAPABILITIES, 'embedded')).toBeUndefined();
    expect(unmetNeeds({ needs: ['management'] }, KIND_CAPABILITIES, 'kind')).toMatch(MANAGEMENT);
    const noMgmt = { ...EMBEDDED_CAPABILITIES, management: false };
    expect(unmetNeeds({ needs: ['management'] }, noMgmt, 'kind')).toMatch(MANAGEMENT);
    expect(unmetNeeds({ needs: ['lab'] }, noMgmt, 'kind')).toBeUndefined();
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

  it('on kind, the scenarios bound to the lab are skipped for the lab, the management ones for the management path', () => {
    const kind = skipped(KIND_CAPABILITIES, 'kind');
    // DNS-03: env.inPod and env.edgeAccessLog; MG-01..03: env.mgmt.
    expect(Object.keys(kind).sort()).toEqual(['DNS-03', 'MG-01', 'MG-02', 'MG-03']);
    expect(kind['DNS-03']).toMatch(LAB);
    for (const id of ['MG-01', 'MG-02', 'MG-03']) expect(kind[id], id).toMatch(MANAGEMENT);
    const needing = (n: Need) =>
      scenarios
        .filter((s) => s.needs?.includes(n))
        .map((s) => s.id)
        .sort();
    expect(needing('lab')).toEqual(['DNS-03']);
    // The management scenarios are the management area, and they are the ones that need the management path.
    expect(needing('management')).toEqual(scenarios.filter((s) => s.area === 'management').map((s) => s.id));
  });

  it('a provider with the lab hooks but no management path skips the management scenarios, for that reason alone', () => {
    const noMgmt = skipped({ ...EMBEDDED_CAPABILITIES, management: false }, 'kind');
    expect(Object.keys(noMgmt).sort()).toEqual(['MG-01', 'MG-02', 'MG-03']);
    for (const [id, why] of Object.entries(noMgmt)) expect(why, id).toMatch(MANAGEMENT);
  });

  it('on the embedded lab nothing is skipped; on an existing cluster only the read-only scenarios run', () => {
    expect(skipped(EMBEDDED_CAPABILITIES, 'embedded')).toEqual({});
    const existing = skipped(EXISTING, 'existing');
    expect(scenarios.map((s) => s.id).filter((id) => !existing[id])).toEqual(['ST-01', 'ST-02']);
  });

  it('every scenario declares its needs (none relies on the default)', () => {
    expect(scenarios.filter((s) => s.needs === undefined).map((s) => s.id)).toEqual([]);
  });

  it('a scenario with apps in its starting state needs deploy', () => {
    expect(scenarios.filter((s) => s.apps.length > 0 && !s.needs?.includes('deploy')).map((s) => s.id)).toEqual([]);
  });

  it('feature ReadOnly is declared by exactly the scenarios that need nothing', () => {
    const readOnly = scenarios.filter((s) => s.features.includes('ReadOnly')).map((s) => s.id);
    expect(readOnly).toEqual(scenarios.filter((s) => s.needs?.length === 0).map((s) => s.id));
  });
});

describe('fault twins and capability faults', () => {
  it('run on the embedded lab; elsewhere they are skipped with the reason, on one line', () => {
    expect(faultsUnmet(EMBEDDED_CAPABILITIES, 'embedded')).toBeUndefined();
    for (const [caps, name] of [
      [KIND_CAPABILITIES, 'kind'],
      [EXISTING, 'existing'],
    ] as const)
      expect(faultsUnmet(caps, name)).toBe(
        `fault twins need to stop, block or misconfigure the stack's components (capability faults), which provider ${name} does not have`,
      );
  });
});
