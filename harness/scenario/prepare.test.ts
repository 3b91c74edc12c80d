/** prepareScenario: the header's apps are the starting state, whether the default setup or the scenario's deploys them. */
import { describe, expect, it } from 'vitest';
import type { AppFixture } from '../stack/app-fixture.ts';
import type { AppMetadata } from '../stack/deploy.ts';
import { type Scenario, prepareScenario } from './define.ts';
import type { ScenarioEnv } from './env.ts';

/** Just what prepareScenario touches: app fixtures, deploy, and the platform's records. */
function fakeEnv() {
  const records: AppMetadata[] = [];
  const env = {
    app: (name: string) => ({ org: 'acme', app: name }) as AppFixture,
    deploy: async (app: AppFixture, routing: 'current' | 'target') => {
      const m = { org: app.org, app: app.app, routing } as AppMetadata;
      records.push(m);
      return m;
    },
    metadata: () => records,
  };
  return { env: env as unknown as ScenarioEnv, records };
}

const scenario = (over: Partial<Scenario>): Scenario => ({
  id: 'XX-01',
  title: 't',
  features: [],
  apps: ['shop'],
  routing: ['current'],
  needs: ['deploy'],
  body: async () => undefined,
  faults: [],
  ...over,
});

describe('prepareScenario', () => {
  it('deploys the apps by default, in the routing mode', async () => {
    const { env, records } = fakeEnv();
    await prepareScenario(scenario({}), env, 'target');
    expect(records.map((r) => `${r.app}/${r.routing}`)).toEqual(['shop/target']);
  });

  it("runs the scenario's own setup instead, and accepts it when it deploys the apps", async () => {
    const { env, records } = fakeEnv();
    await prepareScenario(
      scenario({ setup: async (ctx) => void (await ctx.env.deploy(ctx.env.app('shop'), ctx.routing)) }),
      env,
      'current',
    );
    expect(records).toHaveLength(1);
  });

  it('ends the scenario, naming the app, when its setup leaves a declared app undeployed', async () => {
    const { env } = fakeEnv();
    await expect(prepareScenario(scenario({ setup: async () => undefined }), env, 'current')).rejects.toThrow(
      'XX-01: its setup left app shop undeployed in current routing, although the header lists it in apps',
    );
    const wrongMode = scenario({ setup: async (ctx) => void (await ctx.env.deploy(ctx.env.app('shop'), 'target')) });
    await expect(prepareScenario(wrongMode, env, 'current')).rejects.toThrow(/left app shop undeployed/);
  });
});
