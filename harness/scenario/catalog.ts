/**
 * The conformance run's one test file (suites/catalog.ts): it imports the scenario files skyprobe run chose
 * (SKYPROBE_CATALOG_FILES; absent, every one) and registers their tests in one file, so that vitest can run them
 * side by side in one worker, with one env fixture on one lab (`--parallel N` is vitest's maxConcurrency). The
 * scenarios that run alone come first, then the others, in id order.
 */
import { pathToFileURL } from 'node:url';
import { areaOf } from './areas.ts';
import { type Scenario, setScenarioRegistrar } from './define.ts';
import { catalogFiles, catalogOrder } from './catalog-files.ts';
import { registerScenario } from './register-tests.ts';

export async function collectCatalog(files = catalogFiles()): Promise<void> {
  // While the modules load, their defineScenario calls register nothing: the order is decided here.
  const previous = setScenarioRegistrar(undefined);
  const loaded: { s: Scenario; file: string }[] = [];
  try {
    for (const file of files) loaded.push({ s: (await import(pathToFileURL(file).href)).default as Scenario, file });
  } finally {
    setScenarioRegistrar(previous);
  }
  const byId = new Map(loaded.map((l) => [l.s.id, l]));
  for (const s of catalogOrder(loaded.map((l) => l.s))) registerScenario(s, areaOf(byId.get(s.id)?.file ?? ''));
}
