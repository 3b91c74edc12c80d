/**
 * The area of a scenario is its folder: every folder under suites/ is an area of AREAS, every area has a folder,
 * and every scenario the catalog loads carries its folder's name as its area (the headers declare none).
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkyprobeError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { AREAS, areaOf } from './areas.ts';
import { loadScenarios, scenarioFiles } from './load.ts';

const folders = readdirSync(join(repoRoot(), 'suites'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('areas and folders', () => {
  it('every folder under suites/ is an area, and every area has a folder', () => {
    expect(folders).toEqual([...AREAS].sort());
  });

  it("each loaded scenario's area is its folder, and no header declares one", async () => {
    const scenarios = await loadScenarios();
    expect(scenarios.map((s) => s.file).sort()).toEqual([...scenarioFiles()].sort());
    for (const s of scenarios) {
      expect(s.area, s.id).toBe(basename(dirname(s.file)));
      expect(basename(s.file), s.id).toBe(`${s.id}.ts`);
    }
    const declared = await Promise.all(
      scenarioFiles().map(async (f) => Object.keys((await import(f)).default as object)),
    );
    expect(declared.filter((keys) => keys.includes('area'))).toEqual([]);
  });

  it('a file outside an area folder is refused with the list of areas', () => {
    expect(areaOf('/x/suites/tls/TLS-01.ts')).toBe('tls');
    expect(() => areaOf('/x/suites/misc/XX-01.ts')).toThrow(SkyprobeError);
    expect(() => areaOf('/x/suites/misc/XX-01.ts')).toThrow(/folder "misc", which is not an area/);
  });
});
