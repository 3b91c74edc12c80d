/**
 * A scenario: a declarative header (id, title, features, apps, routing modes, needs), one body, and its fault
 * twins; its area is the folder of its file (areas.ts). runScenario executes a body and records every check with
 * its evidence; the conformance run and the fault-twin tests both go through it, so a twin proves that the very
 * checks of the conformance run can fail.
 */
import { SkyprobeError } from '../errors.ts';
import type { Capabilities } from '../providers/provider.ts';
import type { Routing } from '../stack/routing.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { Area } from './areas.ts';
import type { ScenarioEnv } from './env.ts';
import type { Feature } from './features.ts';

/**
 * What a scenario's setup and body use beyond reading the cluster (ClusterEnv); fault twins do not count, they run
 * only where capability faults is (faultsUnmet). A provider that cannot give a need gets the scenario reported as
 * skipped, with the reason.
 *   deploy    deploy and remove apps as the platform does (env.app, deploy, remove, metadata): it creates org
 *             namespaces, so it needs capabilities clusterScoped and createApps
 *   internet  act as a user on the internet and at their DNS provider (env.http, dns, tls, userDns, lbIp, edgeIp,
 *             publicDns, pebbleRoot): capability internet
 *   lab       the embedded lab's own hooks (env.inPod, edgeAccessLog, stop/start/restartComponent, blockPort,
 *             selfSignedSecret, rewriteMetadata; its state env.lab and namespace env.internet): capability labHooks
 *   management  the management path (env.mgmt: the SideroLink overlay, the machine's Talos API, TCP and commands
 *             from the hosts at either end): capability management
 *   apps      create objects in the run's own namespace (existing provider): capability createApps
 */
export type Need = 'lab' | 'management' | 'apps' | 'deploy' | 'internet';

/**
 * What a scenario file declares, and what reads each field: `id` (the test's name, report.json and junit.xml, the
 * anchor in index.html), `title` (the same places), `features` (report.json and index.html), `apps` (deployed
 * before the body, checked by prepareScenario), `routing` (one test per mode, register.ts), `needs` (skipped where unmet,
 * unmetNeeds), `alone` (the scheduler runs it with no other scenario, register-tests.ts; report.json and
 * index.html say why). The area is not declared: it is the file's folder (areas.ts).
 */
export interface ScenarioHeader {
  /** From the catalog, like DP-01. */
  id: string;
  title: string;
  /** What the scenario exercises (features.ts). */
  features: Feature[];
  /**
   * App fixtures (fixtures/apps/<name>.yaml) of its starting state, deployed in the routing mode before the body:
   * by the default setup, or by the scenario's own (prepareScenario checks that they are). Deploying needs
   * `deploy`; apps a body deploys or removes itself are not here.
   */
  apps: string[];
  routing: Routing[];
  /** Default: ['lab']. A read-only scenario says `needs: []`. */
  needs?: Need[];
  /**
   * Why it runs alone: its setup or body changes a part of the stack that every scenario shares (a component, the
   * Gateway, a port), or judges the whole of one (every route of the cluster, the overlay's counters), so that a
   * scenario beside it would see it or be seen. Absent: it runs beside others (`skyprobe run --parallel N`).
   */
  alone?: string;
}

/** What of a header the report carries (report.json's scenarios[], index.html), with the area from the folder. */
export type ReportedHeader = Pick<ScenarioHeader, 'id' | 'title' | 'features' | 'alone'> & { area: Area };

/** Whether a provider's capabilities meet a need, and the one-line reason when they do not. */
const NEEDS: Record<Need, { met: (c: Capabilities) => boolean; reason: (provider: string) => string }> = {
  lab: {
    met: (c) => c.labHooks === true,
    reason: (p) =>
      `needs the embedded lab's own hooks (capability labHooks: pod exec, the edge's access log, component faults), which provider ${p} does not have`,
  },
  management: {
    met: (c) => c.management,
    reason: (p) =>
      `needs the management path (capability management: the SideroLink overlay to a machine behind NAT and its Talos API), which provider ${p} does not have`,
  },
  deploy: {
    met: (c) => c.clusterScoped && c.createApps,
    reason: (p) =>
      `needs to deploy apps as the platform does, creating org namespaces (capabilities clusterScoped and createApps), which provider ${p} does not have`,
  },
  internet: {
    met: (c) => c.internet === true,
    reason: (p) =>
      `needs to act as a user on the internet: public DNS with the user's zones, HTTP and TLS probes (capability internet), which provider ${p} does not have`,
  },
  apps: {
    met: (c) => c.createApps,
    reason: () => `needs to create apps in the run's namespace, which this account may not (RBAC)`,
  },
};

/** Why a scenario cannot run with these capabilities (one reason per unmet need, on one line), or undefined when it can. */
export function unmetNeeds(s: Pick<ScenarioHeader, 'needs'>, caps: Capabilities, provider: string): string | undefined {
  const needs = s.needs ?? ['lab'];
  const unmet = (Object.keys(NEEDS) as Need[]).filter((n) => needs.includes(n) && !NEEDS[n].met(caps));
  return unmet.length > 0 ? unmet.map((n) => NEEDS[n].reason(provider)).join('; ') : undefined;
}

/**
 * Why fault twins cannot run on this cluster (capability faults: stop, block or misconfigure its components), or
 * undefined when they can. The fault-twin tests skip every twin with this reason.
 */
export function faultsUnmet(caps: Capabilities, provider: string): string | undefined {
  return caps.faults
    ? undefined
    : `fault twins need to stop, block or misconfigure the stack's components (capability faults), which provider ${provider} does not have`;
}

export interface CheckRecord {
  name: string;
  status: 'passed' | 'failed';
  evidence: unknown;
  message?: string;
  durationMs: number;
}

export interface ScenarioContext {
  env: ScenarioEnv;
  routing: Routing;
  /** How long a converging check may take (shorter in fault-twin runs). */
  convergeMs: number;
  /**
   * One named check: `fn` returns whether it holds, its evidence, and a message saying what was expected and
   * what was found. A failed check ends the scenario.
   */
  check<E>(name: string, fn: () => Promise<{ ok: boolean; evidence: E; message?: string }>): Promise<E>;
  /** Attach evidence that is not a check (objects, timings). */
  note(name: string, evidence: unknown): void;
  /**
   * End the scenario as skipped, with the reason: the cluster holds nothing this scenario judges (a read-only
   * scenario on a cluster with no app yet). Never a pass, never a failure; the report shows the reason.
   */
  nothingToJudge(reason: string): never;
}

export interface Fault {
  name: string;
  /**
   * The check the scenario must fail at while the fault is in place; a function when the check's name holds an
   * app's names, which are the scenario run's own (env.app).
   */
  failingCheck: string | ((names: Pick<ScenarioEnv, 'app'>) => string);
  /** Only in these routing modes (default: every mode of the scenario). */
  routing?: Routing[];
  inject(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
  revert(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
}

/** The name of the check a fault must fail at, under a scenario run's names. */
export function failingCheckOf(f: Pick<Fault, 'failingCheck'>, names: Pick<ScenarioEnv, 'app'>): string {
  return typeof f.failingCheck === 'string' ? f.failingCheck : f.failingCheck(names);
}

export interface Scenario extends ScenarioHeader {
  /**
   * Bring the world into the scenario's starting state, its apps included (default: deploy its apps). Faults come
   * after this.
   */
  setup?(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
  /** The checks; a body never deploys, so that an injected fault stays in place. */
  body(ctx: ScenarioContext): Promise<void>;
  /** The bound of one run in one routing mode, when it grows with the run's options (SC-01's --scale); default TIMEOUTS.scenarioRun. */
  runBoundMs?: () => number;
  faults: Fault[];
}

export interface ScenarioResult {
  id: string;
  routing: Routing;
  /** skipped: the body found nothing to judge (ctx.nothingToJudge), `message` says why. */
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  checks: CheckRecord[];
  notes: Record<string, unknown>;
  /** The failed check, or the error that ended the scenario. */
  failedCheck?: string;
  message?: string;
}

export class CheckFailed extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(`check "${check}" failed: ${message}`);
  }
}

/** Thrown by ctx.nothingToJudge: the scenario ends as skipped with this reason. */
export class NothingToJudge extends Error {}

/** Set by the conformance project: scenario modules then register vitest tests as they load. */
let onDefine: ((s: Scenario) => void) | undefined;
/** Set (or, with undefined, clear) the registrar; gives the one it replaces. */
export function setScenarioRegistrar(fn: ((s: Scenario) => void) | undefined): ((s: Scenario) => void) | undefined {
  const previous = onDefine;
  onDefine = fn;
  return previous;
}

export function defineScenario(s: Scenario): Scenario {
  if (!/^[A-Z]+-\d{2}$/.test(s.id)) throw new Error(`scenario id "${s.id}" must look like DP-01`);
  if (s.faults.length === 0)
    throw new Error(`${s.id} has no fault twin: every conformance check must be shown able to fail`);
  onDefine?.(s);
  return s;
}

/**
 * The scenario's starting state: its setup, or its apps deployed in this routing mode. Either way the declared
 * apps are then deployed in this mode (the platform's records say so), or the scenario ends here, naming them.
 */
export async function prepareScenario(s: Scenario, env: ScenarioEnv, routing: Routing): Promise<void> {
  if (s.setup) await s.setup({ env, routing });
  else for (const name of s.apps) await env.deploy(env.app(name), routing);
  const deployed = s.apps.length > 0 ? env.metadata() : [];
  const missing = s.apps.filter((name) => {
    const a = env.app(name);
    return !deployed.some((m) => m.org === a.org && m.app === a.app && m.routing === routing);
  });
  if (missing.length > 0)
    throw new SkyprobeError(
      `${s.id}: its setup left app ${missing.join(', ')} undeployed in ${routing} routing, although the header lists it in apps`,
      { hint: `deploy it in the setup, or drop it from apps in the header of ${s.id}` },
    );
}

export async function runScenario(
  s: Scenario,
  env: ScenarioEnv,
  routing: Routing,
  opts: { convergeMs?: number } = {},
): Promise<ScenarioResult> {
  const started = Date.now();
  const checks: CheckRecord[] = [];
  const notes: Record<string, unknown> = {};
  const ctx: ScenarioContext = {
    env,
    routing,
    convergeMs: opts.convergeMs ?? TIMEOUTS.converge,
    note: (name, evidence) => {
      notes[name] = evidence;
    },
    nothingToJudge: (reason) => {
      throw new NothingToJudge(reason);
    },
    async check(name, fn) {
      const t0 = Date.now();
      let r: { ok: boolean; evidence: unknown; message?: string };
      try {
        r = await fn();
      } catch (err) {
        if (err instanceof NothingToJudge) throw err;
        r = { ok: false, evidence: { error: (err as Error).message }, message: (err as Error).message };
      }
      checks.push({
        name,
        status: r.ok ? 'passed' : 'failed',
        evidence: r.evidence,
        message: r.message,
        durationMs: Date.now() - t0,
      });
      if (!r.ok) throw new CheckFailed(name, r.message ?? 'did not hold');
      return r.evidence as never;
    },
  };
  try {
    await s.body(ctx);
    return { id: s.id, routing, status: 'passed', durationMs: Date.now() - started, checks, notes };
  } catch (err) {
    if (err instanceof NothingToJudge)
      return {
        id: s.id,
        routing,
        status: 'skipped',
        durationMs: Date.now() - started,
        checks,
        notes,
        message: err.message,
      };
    const failedCheck = err instanceof CheckFailed ? err.check : undefined;
    notes.diagnostics = await env.diagnostics().catch((e: unknown) => ({ error: (e as Error).message }));
    return {
      id: s.id,
      routing,
      status: 'failed',
      durationMs: Date.now() - started,
      checks,
      notes,
      failedCheck,
      message: (err as Error).message,
    };
  }
}
