import { describe, expect, it } from 'vitest';
import type { AppMetadata } from '../stack/deploy.ts';
import type { Routing } from '../stack/routing.ts';
import type { ScenarioEnv } from './env.ts';
import { forInstance, instanceNames } from './instance-env.ts';

/** Only what forInstance reads of an env: capabilities, the platform's records and remove. */
function fakeEnv(records: Pick<AppMetadata, 'org' | 'app' | 'routing'>[]) {
  const removed: string[] = [];
  const env = {
    capabilities: { clusterScoped: true, createApps: true },
    metadata: () => records as AppMetadata[],
    remove: async (a: { org: string; app: string }, routing: Routing) => {
      removed.push(`${a.org}/${a.app} ${routing}`);
    },
    app: () => {
      throw new Error('the base env has the fixtures own names; a run uses its own');
    },
  } as unknown as ScenarioEnv;
  return { env, removed };
}

describe("a scenario run's view of the env", () => {
  it('gives the apps under the run tag, and lists the names it gave', () => {
    const { env } = fakeEnv([]);
    const own = forInstance(env, 'DP-04', 'target');
    expect(own.tag).toBe('dp04t');
    expect(own.env.app('shop').generatedHost).toBe('shop-acme-dp04t.satusky.com');
    expect(own.env.app('intruder').customDomains).toEqual(['shop.example-dp04t.com']);
    expect(own.names()).toEqual({ shop: 'acme-dp04t/shop', intruder: 'evil-dp04t/copycat' });
    expect(instanceNames('DP-04', 'target').app('shop').org).toBe('acme-dp04t');
  });

  it('removes, after the run, each app it asked for that the records show deployed, in their mode', async () => {
    const { env, removed } = fakeEnv([
      { org: 'acme-cd04c', app: 'shop', routing: 'target' },
      { org: 'acme-dp01c', app: 'shop', routing: 'current' },
    ]);
    const own = forInstance(env, 'CD-04', 'current');
    own.env.app('shop');
    own.env.app('pop');
    await own.cleanup();
    expect(removed).toEqual(['acme-cd04c/shop target']);
  });
});
