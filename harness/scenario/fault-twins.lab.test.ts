/**
 * Every scenario's fault twins, against a real lab with the routing stack: the scenario passes healthy, fails
 * at exactly the named check while the fault is injected into the real stack, and the fault is reverted.
 * A conformance check that cannot fail is a defect; this is where that is proven. Faults need the capability
 * faults of the cluster the run hands over (SKYPROBE_CLUSTER; without it, the embedded lab): where it is missing,
 * every twin is skipped with the reason, and no lab is brought up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { silentProgress } from '../log.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { ScenarioEnv } from './env.ts';
import { labEnv } from './envs/lab-env.ts';
import { runCluster } from './envs/by-provider.ts';
import { failingCheckOf, faultsUnmet, prepareScenario, runScenario } from './define.ts';
import { forInstance, instanceNames } from './instance-env.ts';
import { loadScenarios } from './load.ts';

const only = process.env.SKYPROBE_TWINS?.split(',').filter(Boolean);
const scenarios = (await loadScenarios()).filter((s) => !only || only.includes(s.id));
const cluster = runCluster();
const noFaults = faultsUnmet(cluster.capabilities, cluster.provider);
/** A lab that is already up (an engineer's, kept) is used and left running; otherwise one is made and removed. */
const own = !noFaults && !liveLab();

describe('fault twins', () => {
  let env: ScenarioEnv;
  beforeAll(async () => {
    if (noFaults) return;
    if (own) await labUp({ nodes: 2, run: execRunner, progress: silentProgress, stack: true });
    env = labEnv();
  }, 180_000);
  afterAll(async () => {
    if (own && liveLab()) await labDown(execRunner);
  }, 60_000);

  for (const s of scenarios) {
    for (const fault of s.faults) {
      const routing = (fault.routing ?? s.routing)[0] ?? 'current';
      // Under the names the scenario run has in a conformance run (instance-env.ts), which the failing check may hold.
      const failing = failingCheckOf(fault, instanceNames(s.id, routing));
      it(`${s.id} [${routing}] with "${fault.name}" fails at "${failing}"`, async ({ skip }) => {
        if (noFaults) return skip(noFaults);
        const own = forInstance(env, s.id, routing);
        const ctx = { env: own.env, routing };
        try {
          await prepareScenario(s, own.env, routing);
          const healthy = await runScenario(s, own.env, routing);
          expect(healthy.status, `healthy run first: ${healthy.message ?? ''}`).toBe('passed');
          expect(healthy.checks.map((c) => c.name)).toContain(failing);
          await fault.inject(ctx);
          try {
            const faulty = await runScenario(s, own.env, routing, { convergeMs: TIMEOUTS.faultTwinConverge });
            expect(
              faulty.status,
              `the fault went unnoticed; checks: ${faulty.checks.map((c) => `${c.status} ${c.name}: ${c.message ?? ''}`).join(' | ')}`,
            ).toBe('failed');
            expect(faulty.failedCheck, faulty.message).toBe(failing);
          } finally {
            await fault.revert(ctx);
          }
        } finally {
          await own.cleanup();
        }
      }, 240_000);
    }
  }

  // The contract: SideroLink is not the app data plane. With the overlay down, the data path still works.
  const overlayDown = scenarios.find((s) => s.id === 'MG-01')?.faults.find((f) => f.name.startsWith('overlay down'));
  const dataPath = scenarios.filter((s) => s.area === 'data-path');
  if (overlayDown && dataPath.length > 0) {
    it(`with the overlay down, the data-path scenarios still pass (${dataPath.map((s) => s.id).join(', ')})`, async ({
      skip,
    }) => {
      if (noFaults) return skip(noFaults);
      await overlayDown.inject({ env, routing: 'current' });
      try {
        expect((await env.mgmt.apid('fdae:41e4:649b:9303::2')).ok, 'the overlay really is down').toBe(false);
        for (const s of dataPath) {
          const own = forInstance(env, s.id, 'current');
          try {
            await prepareScenario(s, own.env, 'current');
            const r = await runScenario(s, own.env, 'current');
            expect(r.status, `${s.id}: ${r.message ?? ''}`).toBe('passed');
          } finally {
            await own.cleanup();
          }
        }
      } finally {
        await overlayDown.revert({ env, routing: 'current' });
      }
    }, 300_000);
  }
});
