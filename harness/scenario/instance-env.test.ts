import { describe, expect, it } from 'vitest';
import type { AppFixture } from '../stack/app-fixture.ts';
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
    deploy: async (a: { org: string; app: string }, routing: Routing) => ({ org: a.org, app: a.app, routing }),
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

  it('removes, after the run, each app it deployed under names of its own (a generated fleet)', async () => {
    const { env, removed } = fakeEnv([
      { org: 'sc1-0', app: 'a0', routing: 'current' },
      { org: 'sc1-0', app: 'a1', routing: 'current' },
    ]);
    const own = forInstance(env, 'SC-01', 'current');
    const app = (name: string) => ({ org: 'sc1-0', app: name }) as unknown as AppFixture;
    await own.env.deploy(app('a0'), 'current');
    await own.env.deploy(app('a1'), 'current');
    // Deployed, then removed by the run itself: the records no longer show it, so cleanup leaves it be.
    await own.env.deploy(app('a2'), 'current');
    await own.cleanup();
    expect(removed).toEqual(['sc1-0/a0 current', 'sc1-0/a1 current']);
  });
});
