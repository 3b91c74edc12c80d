/**
 * Setup file of the conformance vitest project: as each scenario module loads, its defineScenario call
 * registers one test per selected routing mode. The test prepares the scenario's world, runs its checks, and
 * leaves the result in the test's meta for the reporter.
 */
import { describe } from 'vitest';
import { ROUTINGS, type Routing } from '../stack/render.ts';
import { test } from '../test.ts';
import { prepareScenario, runScenario, setScenarioRegistrar } from './define.ts';

const wanted = (process.env.SKYPROBE_ROUTING ?? 'both') === 'both' ? ROUTINGS : [process.env.SKYPROBE_ROUTING as Routing];

setScenarioRegistrar((s) => {
  describe(`${s.id} ${s.title}`, () => {
    for (const routing of s.routing.filter((r) => wanted.includes(r))) {
      test(`${s.id} [${routing}]`, async ({ env, task }) => {
        const header = { id: s.id, title: s.title, area: s.area };
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
    skyprobe?: { header: { id: string; title: string; area: string }; routing: Routing; result?: import('./define.ts').ScenarioResult };
  }
}
