/**
 * A scenario: a declarative header (id, title, area, features, apps, routing modes), one body, and its fault
 * twins. runScenario executes a body and records every check with its evidence; the conformance run and the
 * fault-twin tests both go through it, so a twin proves that the very checks of the conformance run can fail.
 */
import type { Capabilities } from '../providers/provider.ts';
import type { Routing } from '../stack/render.ts';
import type { ScenarioEnv } from './env.ts';

export type Area = 'data-path' | 'custom-domain' | 'migration' | 'tls' | 'readiness' | 'dns' | 'in-cluster' | 'management' | 'facts' | 'stack';

/**
 * What a scenario's body needs beyond reading the cluster: `lab` the embedded lab's hooks (its DNS zones, its
 * internet host, its components); `apps` creating objects in the run's own namespace. A provider that cannot give
 * them gets the scenario reported as skipped, with the reason.
 */
export type Need = 'lab' | 'apps';

export interface ScenarioHeader {
  id: string;
  title: string;
  area: Area;
  features: string[];
  /** App fixtures (fixtures/apps/<name>.yaml) the scenario deploys. */
  apps: string[];
  routing: Routing[];
  /** Default: ['lab']. A read-only scenario says `needs: []`. */
  needs?: Need[];
}

/** Why a scenario cannot run with these capabilities, or undefined when it can. */
export function unmetNeeds(s: Pick<ScenarioHeader, 'needs'>, caps: Capabilities, provider: string): string | undefined {
  const needs = s.needs ?? ['lab'];
  if (needs.includes('lab') && !caps.labHooks) return `needs the embedded lab's hooks (public DNS zones, the internet host, component faults), which provider ${provider} does not have`;
  if (needs.includes('apps') && !caps.createApps) return `needs to create apps in the run's namespace, which this account may not (RBAC)`;
  return undefined;
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
}

export interface Fault {
  name: string;
  /** The check the scenario must fail at while the fault is in place. */
  failingCheck: string;
  /** Only in these routing modes (default: every mode of the scenario). */
  routing?: Routing[];
  inject(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
  revert(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
}

export interface Scenario extends ScenarioHeader {
  /** Bring the world into the scenario's starting state (default: deploy its apps). Faults come after this. */
  setup?(ctx: { env: ScenarioEnv; routing: Routing }): Promise<void>;
  /** The checks; a body never deploys, so that an injected fault stays in place. */
  body(ctx: ScenarioContext): Promise<void>;
  faults: Fault[];
}

export interface ScenarioResult {
  id: string;
  routing: Routing;
  status: 'passed' | 'failed';
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

const registry: Scenario[] = [];
/** Set by the conformance project: scenario modules then register vitest tests as they load. */
let onDefine: ((s: Scenario) => void) | undefined;
export function setScenarioRegistrar(fn: (s: Scenario) => void): void {
  onDefine = fn;
}

export function defineScenario(s: Scenario): Scenario {
  if (!/^[A-Z]+-\d{2}$/.test(s.id)) throw new Error(`scenario id "${s.id}" must look like DP-01`);
  if (s.faults.length === 0) throw new Error(`${s.id} has no fault twin: every conformance check must be shown able to fail`);
  registry.push(s);
  onDefine?.(s);
  return s;
}

export function definedScenarios(): readonly Scenario[] {
  return registry;
}

/** The scenario's starting state: its setup, or its apps deployed in this routing mode. */
export async function prepareScenario(s: Scenario, env: ScenarioEnv, routing: Routing): Promise<void> {
  if (s.setup) return s.setup({ env, routing });
  for (const name of s.apps) await env.deploy(env.app(name), routing);
}

export async function runScenario(s: Scenario, env: ScenarioEnv, routing: Routing, opts: { convergeMs?: number } = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const checks: CheckRecord[] = [];
  const notes: Record<string, unknown> = {};
  const ctx: ScenarioContext = {
    env,
    routing,
    convergeMs: opts.convergeMs ?? 60_000,
    note: (name, evidence) => {
      notes[name] = evidence;
    },
    async check(name, fn) {
      const t0 = Date.now();
      let r: { ok: boolean; evidence: unknown; message?: string };
      try {
        r = await fn();
      } catch (err) {
        r = { ok: false, evidence: { error: (err as Error).message }, message: (err as Error).message };
      }
      checks.push({ name, status: r.ok ? 'passed' : 'failed', evidence: r.evidence, message: r.message, durationMs: Date.now() - t0 });
      if (!r.ok) throw new CheckFailed(name, r.message ?? 'did not hold');
      return r.evidence as never;
    },
  };
  try {
    await s.body(ctx);
    return { id: s.id, routing, status: 'passed', durationMs: Date.now() - started, checks, notes };
  } catch (err) {
    const failedCheck = err instanceof CheckFailed ? err.check : undefined;
    notes.diagnostics = await env.diagnostics().catch((e: unknown) => ({ error: (e as Error).message }));
    return { id: s.id, routing, status: 'failed', durationMs: Date.now() - started, checks, notes, failedCheck, message: (err as Error).message };
  }
}
