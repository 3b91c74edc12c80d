/**
 * Which scenario files the conformance run's one test file (catalog.ts) imports: skyprobe run names them in
 * SKYPROBE_CATALOG_FILES (a JSON list of paths); absent, every one. Apart from catalog.ts, which imports vitest, so
 * that skyprobe run can set it without loading vitest's test API outside a test run.
 */
import type { ScenarioHeader } from './define.ts';
import { scenarioFiles } from './load.ts';

export const CATALOG_FILES_ENV = 'SKYPROBE_CATALOG_FILES';

/** The files SKYPROBE_CATALOG_FILES names, or every scenario file. */
export function catalogFiles(value = process.env[CATALOG_FILES_ENV]): string[] {
  if (value === undefined || value === '') return scenarioFiles();
  const parsed = JSON.parse(value) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((f) => typeof f === 'string'))
    throw new Error(`${CATALOG_FILES_ENV} must be a JSON list of scenario files, got ${value.slice(0, 200)}`);
  return parsed as string[];
}

/** The order the scheduler registers them in: those that run alone first, then the others; by id within each. */
export function catalogOrder<S extends Pick<ScenarioHeader, 'id' | 'alone'>>(scenarios: S[]): S[] {
  return [...scenarios].sort((a, b) => Number(!a.alone) - Number(!b.alone) || a.id.localeCompare(b.id));
}
