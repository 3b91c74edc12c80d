/**
 * Setup file of the conformance vitest project: as each scenario module loads, its defineScenario call
 * registers one test per selected routing mode. The test prepares the scenario's world, runs its checks, and
 * leaves the result in the test's meta for the reporter.
 */
import { describe } from 'vitest';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { test } from './env-fixture.ts';
import { runCluster } from './envs/by-provider.ts';
import { prepareScenario, runScenario, setScenarioRegistrar, unmetNeeds } from './define.ts';

const cluster = runCluster();
const wanted =
  (process.env.SKYPROBE_ROUTING ?? 'both') === 'both' ? ROUTINGS : [process.env.SKYPROBE_ROUTING as Routing];

setScenarioRegistrar((s) => {
  describe(`${s.id} ${s.title}`, () => {
    const header = { id: s.id, title: s.title, area: s.area };
    const unmet = unmetNeeds(s, cluster.capabilities, cluster.provider);
    for (const routing of s.routing.filter((r) => wanted.includes(r))) {
      if (unmet) {
        // Skipped with the reason, never counted as passed; the env fixture is not touched.
        test(`${s.id} [${routing}]`, ({ task, skip }) => {
          task.meta.skyprobe = { header, routing, skipped: unmet };
          skip(unmet);
        });
        continue;
      }
      test(`${s.id} [${routing}]`, async ({ env, task }) => {
        task.meta.skyprobe = { header, routing };
        await prepareScenario(s, env, routing);
        const result = await runScenario(s, env, routing);
        task.meta.skyprobe = { header, routing, result };
        if (result.status === 'failed') throw new Error(`${s.id} [${routing}]: ${result.message}`);
      });
    }
  });
});

declare module 'vitest' {
  interface TaskMeta {
    skyprobe?: {
      header: { id: string; title: string; area: string };
      routing: Routing;
      result?: import('./define.ts').ScenarioResult;
      skipped?: string;
    };
  }
}
