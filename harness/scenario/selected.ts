/**
 * The scenario runs (id and routing mode) that `skyprobe run --scenario` or `--failed-from` chose, handed to the
 * conformance workers in one environment variable: register.ts registers a test only for these. Absent, every
 * scenario of the loaded files runs (in the modes SKYPROBE_ROUTING names).
 */
import { ROUTINGS, type Routing } from '../stack/routing.ts';

export const SELECTED_ENV = 'SKYPROBE_SELECTED';

/** One scenario in one routing mode: what the report lists as `ID [routing]`. */
export interface ScenarioRun {
  id: string;
  routing: Routing;
}

export const runName = (r: ScenarioRun): string => `${r.id} [${r.routing}]`;

/** The value of SKYPROBE_SELECTED for these runs. */
export const selectedValue = (runs: ScenarioRun[]): string => JSON.stringify(runs);

/** The runs SKYPROBE_SELECTED names, or undefined when it is not set (every scenario runs). */
export function selectedRuns(value = process.env[SELECTED_ENV]): ScenarioRun[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = JSON.parse(value) as unknown;
  if (
    !Array.isArray(parsed) ||
    !parsed.every(
      (r) => typeof r?.id === 'string' && typeof r?.routing === 'string' && ROUTINGS.includes(r.routing as Routing),
    )
  )
    throw new Error(`${SELECTED_ENV} must be a JSON list of {id, routing}, got ${value.slice(0, 200)}`);
  return parsed as ScenarioRun[];
}

/** Whether a scenario runs in a mode under this selection (undefined: no selection, everything runs). */
export const isSelected = (selected: ScenarioRun[] | undefined, id: string, routing: Routing): boolean =>
  selected === undefined || selected.some((r) => r.id === id && r.routing === routing);
