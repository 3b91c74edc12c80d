/**
 * ST-02 on a healthy cluster with no app (what `run --provider existing` meets on a cluster before its first app):
 * no routed host is nothing to judge, so the scenario is skipped with that reason at once. It failed before, after
 * the whole convergence bound in each routing mode ("no routed host to check"): a false alarm, and a slow one.
 * A unit test: the cluster is a fake answering every list with no objects.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioEnv } from '../scenario/env.ts';
import { runScenario } from '../scenario/define.ts';
import st02 from '../../suites/stack/ST-02.ts';

describe('ST-02 with nothing routed', () => {
  it('is skipped with the reason, fast, in both routing modes', async () => {
    const env = {
      provider: 'existing',
      k: { objects: { list: async () => ({ items: [] }) } },
      diagnostics: async () => ({}),
    } as unknown as ScenarioEnv;
    for (const routing of st02.routing) {
      const t0 = Date.now();
      const r = await runScenario(st02, env, routing, { convergeMs: 3_000 });
      expect(r.status, r.message).toBe('skipped');
      expect(r.message).toMatch(/no routed host to judge/);
      expect(Date.now() - t0).toBeLessThan(1_000);
    }
  });
});
