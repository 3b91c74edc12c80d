import { describe, expect, it } from 'vitest';
import type { ScenarioEnv } from './env.ts';
import { type Scenario, runScenario } from './define.ts';
import { withRetries } from './retry.ts';

const env = { diagnostics: async () => ({}) } as unknown as ScenarioEnv;
const scenario = (body: Scenario['body']): Scenario => ({
  id: 'XX-01',
  title: 'a scenario',
  features: [],
  apps: [],
  routing: ['current'],
  needs: [],
  body,
  faults: [],
});

describe('a body with nothing to judge (ctx.nothingToJudge)', () => {
  it('ends the scenario as skipped with the reason: not passed, not failed, and no later check runs', async () => {
    let later = false;
    const r = await runScenario(
      scenario(async (ctx) => {
        ctx.nothingToJudge('no routed host to judge');
        later = true;
      }),
      env,
      'current',
    );
    expect(r.status).toBe('skipped');
    expect(r.message).toBe('no routed host to judge');
    expect(r.checks).toEqual([]);
    expect(later).toBe(false);
  });

  it('is skipped when said inside a check too (the check is not recorded as failed)', async () => {
    const r = await runScenario(
      scenario(async (ctx) => {
        await ctx.check('a check', async () => ctx.nothingToJudge('nothing here'));
      }),
      env,
      'current',
    );
    expect(r).toMatchObject({ status: 'skipped', message: 'nothing here', checks: [] });
  });

  it('is not retried: skipped is an answer, not a failure', async () => {
    let attempts = 0;
    const { result, earlier } = await withRetries(2, async () => {
      attempts++;
      return runScenario(
        scenario(async (ctx) => ctx.nothingToJudge('nothing')),
        env,
        'current',
      );
    });
    expect(result.status).toBe('skipped');
    expect(earlier).toEqual([]);
    expect(attempts).toBe(1);
  });
});
