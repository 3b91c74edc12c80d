/** Loading the scenario catalog: every suites/<area>/<ID>.ts module, in id order. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../paths.ts';
import type { Scenario } from './define.ts';

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

export async function loadScenarios(areas?: string[]): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const f of scenarioFiles(areas)) out.push((await import(pathToFileURL(f).href)).default as Scenario);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
