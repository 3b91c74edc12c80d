/**
 * One scenario's vitest tests: one per selected routing mode. Each test prepares the scenario's world under the
 * run's own names (instance-env.ts), runs its checks, cleans its apps up, and leaves the result in the test's
 * meta for the reporter, with the header the report shows (id, title, area, features, alone) and the names used.
 *
 * Side by side (`skyprobe run --parallel N`, catalog.ts): a scenario without `alone` is a concurrent describe, so
 * that vitest runs it beside its neighbours, at most N tests at once (maxConcurrency); one with `alone` is a
 * sequential describe, which vitest starts only once every concurrent test before it ended, and ends before the
 * next starts (vitest runs a suite's children in groups of consecutive concurrent ones).
 */
import { describe } from 'vitest';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { Area } from './areas.ts';
import { type ReportedHeader, type Scenario, prepareScenario, runScenario, unmetNeeds } from './define.ts';
import { test } from './env-fixture.ts';
import { runCluster } from './envs/by-provider.ts';
import { forInstance } from './instance-env.ts';
import { erroredAttempt, failOnce, retriesFrom, withRetries } from './retry.ts';
import { isSelected, selectedRuns } from './selected.ts';

/** What the run asked for (set by skyprobe run in the workers' environment), read once. */
let asked:
  | {
      cluster: ReturnType<typeof runCluster>;
      retries: number;
      wanted: readonly Routing[];
      selected: ReturnType<typeof selectedRuns>;
    }
  | undefined;
function runAsked() {
  asked ??= {
    cluster: runCluster(),
    retries: retriesFrom(process.env.SKYPROBE_RETRIES),
    wanted: (process.env.SKYPROBE_ROUTING ?? 'both') === 'both' ? ROUTINGS : [process.env.SKYPROBE_ROUTING as Routing],
    // `skyprobe run --scenario` / `--failed-from`: only these scenario runs get a test.
    selected: selectedRuns(),
  };
  return asked;
}

export function registerScenario(s: Scenario, area: Area): void {
  const { cluster, retries, wanted, selected } = runAsked();
  const header: ReportedHeader = { id: s.id, title: s.title, area, features: s.features, alone: s.alone };
  const group = s.alone ? describe.sequential : describe.concurrent;
  group(`${s.id} ${s.title}`, () => {
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
      test(
        `${s.id} [${routing}]`,
        { timeout: (s.runBoundMs?.() ?? TIMEOUTS.scenarioRun) * (retries + 1) },
        async ({ env, task, skip }) => {
          task.meta.skyprobe = { header, routing };
          const own = forInstance(env, s.id, routing);
          try {
            // --retries: a failed attempt is prepared and run again; each attempt's evidence is kept.
            const { result, earlier } = await withRetries(
              retries,
              async () => {
                await prepareScenario(s, own.env, routing);
                return failOnce(s.id, routing) ?? (await runScenario(s, own.env, routing));
              },
              (err) => erroredAttempt(s.id, routing, err),
            );
            task.meta.skyprobe = { header, routing, result, attempts: earlier, names: own.names() };
            // Nothing to judge (ctx.nothingToJudge): skipped with the reason, like an unmet need.
            if (result.status === 'skipped') {
              task.meta.skyprobe.skipped = result.message;
              skip(result.message);
            }
            if (result.status === 'failed') throw new Error(`${s.id} [${routing}]: ${result.message}`);
          } finally {
            // The names it used, also when its setup threw.
            task.meta.skyprobe = { ...task.meta.skyprobe, header, routing, names: own.names() };
            // Its apps go, as the platform removes them: the shared Gateway's listeners and the pods do not pile up.
            await own.cleanup();
          }
        },
      );
    }
  });
}

declare module 'vitest' {
  interface TaskMeta {
    skyprobe?: {
      header: ReportedHeader;
      routing: Routing;
      result?: import('./define.ts').ScenarioResult;
      /** The failed attempts before `result` (--retries). */
      attempts?: import('./define.ts').ScenarioResult[];
      skipped?: string;
      /** The run's own names of the app fixtures it used (fixture -> org/app). */
      names?: Record<string, string>;
    };
  }
}
