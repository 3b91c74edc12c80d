import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppFixture } from './app-fixture.ts';
import {
  covers,
  nextCondition,
  objectKey,
  ownedListeners,
  planAutomation,
  type ContractObject,
} from './automation-plan.ts';
import type { AppMetadata } from './deploy.ts';
import { render } from './render.ts';
import { contractItems } from './renderer-contract.ts';

const shop = parseAppFixture(
  readFileSync(new URL('../../fixtures/apps/shop.yaml', import.meta.url), 'utf8'),
  'shop.yaml',
);
/** The contract objects of `skyprobe render` as the apiserver lists them. */
const applied = (routing: 'current' | 'target' = 'target', at = '2026-12-02T12:00:00Z'): ContractObject[] =>
  contractItems(render(shop, routing), shop, routing)
    .filter((o) => o.apiVersion === 'renderer.skyprobe.dev/v1')
    .map((o) => ({ ...o, metadata: { ...o.metadata, generation: 1, creationTimestamp: at } }) as ContractObject);
const kinds = (p: ReturnType<typeof planAutomation>) =>
  [...p.verdicts.entries()].map(([k, v]) => `${k.split('/')[0]} ${v.status} ${v.reason}`);

describe('the platform automation plan', () => {
  it("accepts the built-in renderer's output: every listener, the record, the app's metadata", () => {
    for (const routing of ['current', 'target'] as const) {
      const p = planAutomation(applied(routing), []);
      expect(new Set([...p.verdicts.values()].map((v) => v.status))).toEqual(new Set(['True']));
      expect([...p.listeners.values()].map((l) => l.name).sort()).toEqual(
        render(shop, routing)
          .listeners.map((l) => l.name)
          .sort(),
      );
      expect(p.publish).toEqual([shop.generatedHost]);
      expect(p.records).toEqual([
        { org: 'acme', app: 'shop', deployment: 'org-acme/shop', routing, hosts: render(shop, routing).hosts },
      ]);
    }
  });

  it('refuses a listener for a host that is not the app’s, and a record in another zone', () => {
    const objs = applied();
    const l = objs.find((o) => o.kind === 'GatewayListener') as ContractObject;
    l.spec = { ...l.spec, hostname: 'blog.example.org' };
    const r = objs.find((o) => o.kind === 'DNSRecord') as ContractObject;
    r.spec = { ...r.spec, name: 'shop.example.com' };
    const p = planAutomation(objs, []);
    expect(p.verdicts.get(objectKey(l))).toMatchObject({ status: 'False', reason: 'NotTheAppsHost' });
    expect(p.verdicts.get(objectKey(l))?.message).toMatch(/listener for blog.example.org, which no accepted AppRecord/);
    expect(p.verdicts.get(objectKey(r))).toMatchObject({ status: 'False', reason: 'NotInZone' });
    expect(p.listeners.has(objectKey(l))).toBe(false);
    expect(p.publish).toEqual([]);
  });

  it('refuses an app whose host another app claims, and with it its listeners and record', () => {
    const other = { org: 'beta', app: 'web', hosts: [{ host: 'shop.example.com' }] } as AppMetadata;
    const p = planAutomation(applied(), [other]);
    expect(kinds(p)).toContain('AppRecord False HostClaimed');
    expect(kinds(p).filter((k) => k.endsWith('NotTheAppsHost')).length).toBe(p.verdicts.size - 1);
    expect(p.records).toEqual([]);
    // The same app's own record (deploy's, before the objects were applied) is no claim against it.
    expect(kinds(planAutomation(applied(), [{ ...other, org: 'acme', app: 'shop' }]))).not.toContain(
      'AppRecord False HostClaimed',
    );
  });

  it('leaves deleted objects out: their listeners released, their record unpublished, the metadata removed', () => {
    const objs = applied().map((o) => ({
      ...o,
      metadata: { ...o.metadata, deletionTimestamp: '2026-12-02T12:01:00Z' },
    }));
    const mine = { org: 'acme', app: 'shop', by: 'automation', hosts: [] } as unknown as AppMetadata;
    const p = planAutomation(objs, [mine]);
    expect(p.verdicts.size).toBe(0);
    expect(p.listeners.size).toBe(0);
    expect(p.unpublish).toEqual([shop.generatedHost]);
    expect(p.dropRecords).toEqual([{ org: 'acme', app: 'shop' }]);
    // A generated host deploy published is deploy's: not unpublished, its record not dropped.
    const deployed = {
      org: 'acme',
      app: 'shop',
      hosts: [{ host: shop.generatedHost, kind: 'generated' }],
    } as AppMetadata;
    expect(planAutomation(objs, [deployed])).toMatchObject({ unpublish: [], dropRecords: [] });
  });

  it('writes a condition only when it changes', () => {
    const o = applied()[0] as ContractObject;
    const c = nextCondition(o, { status: 'True', reason: 'Applied', message: 'x' }, 'T1');
    expect(c).toMatchObject({ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: 'T1' });
    const again = { ...o, status: { conditions: [c as NonNullable<typeof c>] } };
    expect(nextCondition(again, { status: 'True', reason: 'Applied', message: 'x' }, 'T2')).toBeUndefined();
    expect(nextCondition(again, { status: 'True', reason: 'Applied', message: 'y' }, 'T2')?.lastTransitionTime).toBe(
      'T1',
    );
  });

  it("reads a field manager's listeners from managedFields", () => {
    const mf = [
      {
        manager: 'satusky-automation',
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:listeners': { 'k:{"name":"https-a"}': {}, 'k:{"name":"https-b"}': {}, '.': {} } } },
      },
      {
        manager: 'skyprobe',
        operation: 'Update',
        fieldsV1: { 'f:spec': { 'f:listeners': { 'k:{"name":"https-c"}': {} } } },
      },
    ];
    expect([...ownedListeners(mf, 'satusky-automation')]).toEqual(['https-a', 'https-b']);
    expect(ownedListeners(undefined, 'satusky-automation').size).toBe(0);
    expect(covers({ a: 1, b: { c: [1, 2] }, d: 'default' }, { a: 1, b: { c: [1, 2] } })).toBe(true);
    expect(covers({ a: 1, b: { c: [1] } }, { a: 1, b: { c: [1, 2] } })).toBe(false);
  });
});
