/**
 * Setup file of the conformance vitest project: as each scenario module loads, its defineScenario call
 * registers one test per selected routing mode. The test prepares the scenario's world, runs its checks, and
 * leaves the result in the test's meta for the reporter, with the header the report shows (id, title, area,
 * features).
 *
 * The area is the folder of the file being collected. vitest records that file in `expect.getState().testPath`
 * before it imports the module, so the registrar reads it there: no scenario has to pass its own path
 * (import.meta.url in each of them would be one more thing to copy), and a file outside an area's folder fails
 * as it loads, before any test of it runs.
 */
import { describe, expect } from 'vitest';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { test } from './env-fixture.ts';
import { areaOf } from './areas.ts';
import { runCluster } from './envs/by-provider.ts';
import { isSelected, selectedRuns } from './selected.ts';
import { type ReportedHeader, prepareScenario, runScenario, setScenarioRegistrar, unmetNeeds } from './define.ts';
import { erroredAttempt, failOnce, retriesFrom, withRetries } from './retry.ts';

const cluster = runCluster();
const retries = retriesFrom(process.env.SKYPROBE_RETRIES);
const wanted =
  (process.env.SKYPROBE_ROUTING ?? 'both') === 'both' ? ROUTINGS : [process.env.SKYPROBE_ROUTING as Routing];
// `skyprobe run --scenario` / `--failed-from`: only these scenario runs get a test.
const selected = selectedRuns();

setScenarioRegistrar((s) => {
  describe(`${s.id} ${s.title}`, () => {
    const header: ReportedHeader = {
      id: s.id,
      title: s.title,
      area: areaOf(expect.getState().testPath ?? ''),
      features: s.features,
    };
    const unmet = unmetNeeds(s, cluster.capabilities, cluster.provider);
    for (const routing of s.routing.filter((r) => wanted.includes(r) && isSelected(selected, s.id, r))) {
      if (unmet) {
        // Skipped with the reason, never counted as passed; the env fixture is not touched.
        test(`${s.id} [${routing}]`, ({ task, skip }) => {
          task.meta.skyprobe = { header, routing, skipped: unmet };
          skip(unmet);
        });
        continue;
      }
      // Each attempt gets the scenario's bound (--retries N: N + 1 attempts at most).
      test(`${s.id} [${routing}]`, { timeout: TIMEOUTS.scenarioRun * (retries + 1) }, async ({ env, task, skip }) => {
        task.meta.skyprobe = { header, routing };
        // --retries: a failed attempt is prepared and run again; each attempt's evidence is kept.
        const { result, earlier } = await withRetries(
          retries,
          async () => {
            await prepareScenario(s, env, routing);
            return failOnce(s.id, routing) ?? (await runScenario(s, env, routing));
          },
          (err) => erroredAttempt(s.id, routing, err),
        );
        task.meta.skyprobe = { header, routing, result, attempts: earlier };
        // Nothing to judge (ctx.nothingToJudge): skipped with the reason, like an unmet need.
        if (result.status === 'skipped') {
          task.meta.skyprobe.skipped = result.message;
          skip(result.message);
        }
        if (result.status === 'failed') throw new Error(`${s.id} [${routing}]: ${result.message}`);
      });
    }
  });
});

declare module 'vitest' {
  interface TaskMeta {
    skyprobe?: {
      header: ReportedHeader;
      routing: Routing;
      result?: import('./define.ts').ScenarioResult;
      /** The failed attempts before `result` (--retries). */
      attempts?: import('./define.ts').ScenarioResult[];
      skipped?: string;
    };
  }
}
