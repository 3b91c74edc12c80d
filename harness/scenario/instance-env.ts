/**
 * One scenario run's view of the environment: the same cluster, with `env.app` giving the run's own names
 * (stack/instance.ts, tag `instanceTag(id, routing)`), so that runs side by side never touch each other's orgs,
 * namespaces, hosts or user zones; and its clean-up, which removes every app the run asked for, as the platform
 * would (its Gateway listeners included: the shared Gateway holds at most 64), and every app it deployed under
 * names of its own (SC-01's generated fleet), so that no fleet outlives its run.
 */
import type { AppFixture } from '../stack/app-fixture.ts';
import type { Routing } from '../stack/routing.ts';
import { instanceTag } from '../stack/instance.ts';
import type { ScenarioEnv } from './env.ts';
import { appFixtures } from './envs/env-parts.ts';

export interface InstanceEnv {
  tag: string;
  env: ScenarioEnv;
  /** The instance names of the apps the run asked for so far, as `fixture -> org/app` (the report shows them). */
  names(): Record<string, string>;
  /**
   * Remove every app of the run that the platform's records show deployed (in the mode they show): those it asked
   * for by fixture name, and those it deployed by itself (a generated fleet).
   */
  cleanup(): Promise<void>;
}

/** The app names of one scenario run without an environment (fault-twin test names, failing checks). */
export function instanceNames(id: string, routing: Routing): Pick<ScenarioEnv, 'app'> {
  return { app: appFixtures(instanceTag(id, routing)) };
}

export function forInstance(env: ScenarioEnv, id: string, routing: Routing): InstanceEnv {
  const tag = instanceTag(id, routing);
  const fixtures = appFixtures(tag);
  const asked = new Set<string>();
  const app: ScenarioEnv['app'] = (name) => {
    asked.add(name);
    return fixtures(name);
  };
  /** Apps deployed through this view, by org/app (the fixture as last deployed). */
  const deployed = new Map<string, AppFixture>();
  const deploy: ScenarioEnv['deploy'] = (a, routing) => {
    deployed.set(`${a.org}/${a.app}`, a);
    return env.deploy(a, routing);
  };
  return {
    tag,
    env: { ...env, app, deploy },
    names: () => Object.fromEntries([...asked].map((n) => [n, `${fixtures(n).org}/${fixtures(n).app}`])),
    async cleanup() {
      if (asked.size + deployed.size === 0 || !(env.capabilities.clusterScoped && env.capabilities.createApps)) return;
      const records = env.metadata();
      const apps = new Map(deployed);
      for (const name of asked) apps.set(`${fixtures(name).org}/${fixtures(name).app}`, fixtures(name));
      for (const a of apps.values()) {
        const m = records.find((r) => r.org === a.org && r.app === a.app);
        if (m) await env.remove(a, m.routing);
      }
    },
  };
}
