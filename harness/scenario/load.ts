/** Loading the scenario catalog: every suites/<area>/<ID>.ts module, in id order, with its area (its folder). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../paths.ts';
import { type Area, areaOf } from './areas.ts';
import type { Scenario } from './define.ts';

/** A scenario as the catalog holds it: the module's scenario, the file it came from and that file's area. */
export type CatalogScenario = Scenario & { area: Area; file: string };

export function scenarioFiles(areas?: string[]): string[] {
  const root = join(repoRoot(), 'suites');
  const files: string[] = [];
  for (const area of readdirSync(root, { withFileTypes: true })) {
    if (!area.isDirectory() || (areas && areas.length > 0 && !areas.includes(area.name))) continue;
    for (const f of readdirSync(join(root, area.name)))
      if (/^[A-Z]+-\d{2}\.ts$/.test(f)) files.push(join(root, area.name, f));
  }
  return files.sort((a, b) => a.split('/').at(-1)!.localeCompare(b.split('/').at(-1)!));
}

export async function loadScenarios(areas?: string[]): Promise<CatalogScenario[]> {
  const out: CatalogScenario[] = [];
  for (const file of scenarioFiles(areas)) {
    const s = (await import(pathToFileURL(file).href)).default as Scenario;
    out.push({ ...s, area: areaOf(file), file });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
