/**
 * The lab an e2e test file checks against, set up in its beforeAll: a lab that is already up (an engineer's, kept)
 * is used and left running; otherwise the file brings one up with the stack and removes it in its afterAll.
 * Registered first, so its afterAll runs last (vitest runs after-hooks in reverse), after the file's own clean-up.
 */
import { afterAll, beforeAll } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import type { FactTarget } from '../facts/check.ts';
import { factTarget } from '../facts/target.ts';
import { silentProgress } from '../log.ts';
import { labFactSite } from '../providers/embedded/fact-site.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import type { ScenarioEnv } from '../scenario/env.ts';
import { labEnv } from '../scenario/envs/lab-env.ts';

export function labForFile(): { get(): { env: ScenarioEnv; target: FactTarget } } {
  const own = !liveLab();
  let ready: { env: ScenarioEnv; target: FactTarget } | undefined;
  beforeAll(async () => {
    if (own) await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
    ready = { env: labEnv(), target: await factTarget({}, execRunner, labFactSite()) };
  }, 180_000);
  afterAll(async () => {
    if (own && liveLab()) await labDown(execRunner);
  }, 60_000);
  return {
    get() {
      if (!ready) throw new Error('the lab is not up: labForFile() sets it up in a beforeAll');
      return ready;
    },
  };
}
