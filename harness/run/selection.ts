/**
 * What `skyprobe run` runs, besides whole suites: some scenarios (`--scenario ID`, repeatable, like Gateway API's
 * `--run-test`), or the scenario runs that failed in an earlier run folder (`--failed-from DIR`, read from its
 * report.json). Either combines with `--routing`. Resolved and checked before anything starts, so that bad input
 * is one error (exit 2) and no lab is brought up; a folder whose run had nothing failed is nothing to run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SkyprobeError } from '../errors.ts';
import { REPORT_SCHEMA, type Report, type RunSelection } from '../report/schema.ts';
import type { Scenario } from '../scenario/define.ts';
import { scenarioFiles } from '../scenario/load.ts';
import { type ScenarioRun, runName } from '../scenario/selected.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';

export interface SelectionInput {
  suites: string[];
  scenarios: string[];
  failedFrom?: string;
  routing: Routing | 'both';
}

/** The runs chosen one by one: the files vitest loads, the runs register.ts registers, and the report's record. */
export interface Selection {
  files: string[];
  runs: ScenarioRun[];
  record: RunSelection;
}

/** An earlier run with nothing to rerun: said in one line, exit 0, nothing started. */
export interface NothingToRun {
  nothing: string;
}

/** The catalog's scenario ids, from the file names (defineScenario makes the id the file's name). */
export function catalogIds(): Map<string, string> {
  return new Map(scenarioFiles().map((f) => [basename(f, '.ts'), f]));
}

/**
 * Ids of the catalog close to one it does not have: those with the same letters and number (best), then the same
 * letters (the same family, TLS-…), then the same number; all of them when none is close.
 */
export function closeIds(asked: string, ids: string[]): string[] {
  const a = asked.toUpperCase();
  const letters = a.match(/^[A-Z]+/)?.[0];
  const digits = a.match(/(\d+)$/)?.[1];
  const score = (id: string) => {
    const [l, n] = id.split('-');
    return (l === letters ? 2 : 0) + (digits !== undefined && Number(n) === Number(digits) ? 1 : 0);
  };
  const close = ids.filter((id) => score(id) > 0);
  return (close.length > 0 ? close : ids).sort((x, y) => score(y) - score(x) || x.localeCompare(y));
}

const wantedRoutings = (routing: SelectionInput['routing']): Routing[] => (routing === 'both' ? ROUTINGS : [routing]);

/**
 * A scenario file's header. The files are TypeScript and the CLI may run compiled (dist/, no loader for .ts), so
 * they are loaded through tsx's loader for this import only.
 */
async function header(file: string): Promise<Scenario> {
  const { tsImport } = await import('tsx/esm/api');
  return ((await tsImport(pathToFileURL(file).href, import.meta.url)) as { default: Scenario }).default;
}

/** `--scenario ID...`: each id must be in the catalog (case aside) and run in one of the routing modes asked for. */
async function byScenario(i: SelectionInput, catalog: Map<string, string>): Promise<Selection> {
  const ids = [...catalog.keys()].sort();
  const asked = [...new Set(i.scenarios.map((s) => s.trim().toUpperCase()))];
  for (const id of asked)
    if (!catalog.has(id))
      throw new SkyprobeError(`unknown scenario "${id}"`, {
        hint: `close ids: ${closeIds(id, ids).join(', ')} (the catalog is suites/<area>/<ID>.ts)`,
      });
  const routings = wantedRoutings(i.routing);
  const runs: ScenarioRun[] = [];
  for (const id of asked) {
    const s = await header(catalog.get(id) as string);
    const modes = s.routing.filter((r) => routings.includes(r));
    if (modes.length === 0)
      throw new SkyprobeError(`scenario ${id} runs only in ${s.routing.join(' and ')} routing, not in ${i.routing}`, {
        hint: `drop --routing, or use --routing ${s.routing[0]}`,
      });
    runs.push(...modes.map((routing) => ({ id, routing })));
  }
  return finish(runs, catalog, { by: 'scenario', scenarios: asked });
}

/** The report.json of an earlier run folder (reports/<run-id>, reports/latest, or any --out). */
export function readEarlierReport(dir: string): Report {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SkyprobeError(`--failed-from ${dir}: no such folder`, {
      hint: 'give the folder of an earlier skyprobe run: reports/<run-id>, or reports/latest',
    });
  const file = join(dir, 'report.json');
  if (!existsSync(file))
    throw new SkyprobeError(`--failed-from ${dir}: the folder has no report.json`, {
      hint: 'give the folder of a finished skyprobe run (it writes report.json at the end): reports/<run-id>, or reports/latest',
    });
  let report: Report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    throw new SkyprobeError(`--failed-from ${dir}: report.json is not JSON (${(err as Error).message})`, {
      hint: 'give the folder of a finished skyprobe run',
    });
  }
  if (report.schema !== REPORT_SCHEMA || !Array.isArray(report.scenarios))
    throw new SkyprobeError(`--failed-from ${dir}: report.json is not a ${REPORT_SCHEMA} report`, {
      hint: 'give the folder of a skyprobe run',
    });
  return report;
}

/** `--failed-from DIR`: the scenario runs that failed there, in the routing modes asked for. */
async function byFailedFrom(i: SelectionInput, catalog: Map<string, string>): Promise<Selection | NothingToRun> {
  const dir = resolve(i.failedFrom as string);
  const report = readEarlierReport(dir);
  const where = `run ${report.run?.id ?? '(no id)'} in ${dir}`;
  const failedAll = report.scenarios.filter((s) => s.status === 'failed');
  // An upstream suite's failed test has no routing mode: it is rerun one at a time with --scenario GWAPI-<Name>.
  const upstream = failedAll.filter((s) => !s.routing).map((s) => s.id);
  const failed = failedAll.flatMap((s) => (s.routing ? [{ id: s.id, routing: s.routing }] : []));
  if (failed.length === 0 && upstream.length > 0)
    return {
      nothing: `nothing of skyprobe's catalog to rerun: ${where} failed only upstream tests (${upstream.join(', ')}); rerun one with --scenario ${upstream[0]}`,
    };
  if (failed.length === 0)
    return {
      nothing: `nothing to rerun: ${where} had no failed scenario (${report.summary.passed} passed, ${report.summary.skipped} skipped)`,
    };
  const routings = wantedRoutings(i.routing);
  const runs = failed.filter((r) => routings.includes(r.routing));
  if (runs.length === 0)
    return {
      nothing: `nothing to rerun in ${i.routing} routing: ${where} failed only ${failed.map(runName).join(', ')}`,
    };
  const gone = runs.filter((r) => !catalog.has(r.id));
  if (gone.length > 0)
    throw new SkyprobeError(`--failed-from ${dir}: the catalog no longer has ${gone.map((r) => r.id).join(', ')}`, {
      hint: `rerun the others with --scenario (catalog: ${[...catalog.keys()].sort().join(', ')})`,
    });
  for (const r of runs) {
    const s = await header(catalog.get(r.id) as string);
    if (!s.routing.includes(r.routing))
      throw new SkyprobeError(`--failed-from ${dir}: ${r.id} no longer runs in ${r.routing} routing`, {
        hint: `rerun it with --scenario ${r.id}`,
      });
  }
  return finish(runs, catalog, { by: 'failed-from', failedFrom: { dir, runId: report.run?.id ?? '' } });
}

function finish(runs: ScenarioRun[], catalog: Map<string, string>, record: RunSelection): Selection {
  const sorted = [...runs].sort((a, b) => a.id.localeCompare(b.id) || a.routing.localeCompare(b.routing));
  const files = [...new Set(sorted.map((r) => catalog.get(r.id) as string))];
  return { files, runs: sorted, record: { ...record, runs: sorted.map(runName) } };
}

/**
 * The scenario runs of `--scenario` or `--failed-from`, or undefined when neither is given (then `--suite`, or
 * every suite, decides, as before). Only one of `--suite`, `--scenario` and `--failed-from` may be given.
 */
export async function selectScenarios(i: SelectionInput): Promise<Selection | NothingToRun | undefined> {
  const given = [
    i.suites.length > 0 && '--suite',
    i.scenarios.length > 0 && '--scenario',
    i.failedFrom !== undefined && '--failed-from',
  ].filter(Boolean);
  if (given.length > 1)
    throw new SkyprobeError(`${given.join(' and ')} do not combine: give one of them`, {
      hint: "whole suites with --suite, single scenarios with --scenario, an earlier run's failures with --failed-from",
    });
  if (i.scenarios.length > 0) return byScenario(i, catalogIds());
  if (i.failedFrom !== undefined) return byFailedFrom(i, catalogIds());
  return undefined;
}

/** What report.json records when no scenario was chosen one by one: every suite, or those of --suite. */
export const suiteSelection = (suites: string[]): RunSelection =>
  suites.length > 0 ? { by: 'suite', suites } : { by: 'all' };
