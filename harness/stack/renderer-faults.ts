/**
 * What each faulty renderer of fixtures/renderers/ breaks: fixtures/renderers/faults.json, the one table of it. The
 * lab test (harness/e2e/renderer-faults.lab.test.ts) runs the catalog with each fault and asserts exactly these
 * failures; fixtures/renderers/README.md shows the same table (faultsTable, checked by renderer-faults.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import type { Routing } from './routing.ts';

export const FAULTS_FILE = join('fixtures', 'renderers', 'faults.json');
export const REFERENCE_RENDERER = join('fixtures', 'renderers', 'reference.py');

/** One scenario run a fault fails, at its first failed check. */
export interface ExpectedFailure {
  scenario: string;
  routing: Routing;
  check: string;
}

export interface RendererFault {
  /** The mistake, as reference.py's FAULTS says it. */
  mistake: string;
  /**
   * The modes in which the fault's output differs from the reference's: the catalog runs in these. In the others
   * its output is byte-identical for every app the catalog deploys (the lab test asserts it), so a run there is the
   * reference's run.
   */
  modes: Routing[];
  /** Every scenario run the fault fails, and where; every other run of `modes` passes. */
  fails: ExpectedFailure[];
}

export function readFaults(root = repoRoot()): Record<string, RendererFault> {
  return (JSON.parse(readFileSync(join(root, FAULTS_FILE), 'utf8')) as { faults: Record<string, RendererFault> })
    .faults;
}

/** `DP-01 [target]: <check>`, the form the lab test compares and the README lists. */
export const failureLine = (f: ExpectedFailure) => `${f.scenario} [${f.routing}]: ${f.check}`;

export const TABLE_START = '<!-- faults.json: the table below is generated; see harness/stack/renderer-faults.ts -->';
export const TABLE_END = '<!-- end of faults.json -->';

/** The README's table of faults, from faults.json. */
export function faultsTable(faults: Record<string, RendererFault>): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = Object.entries(faults).map(
    ([name, f]) =>
      `| \`${name}\` | ${cell(f.mistake)} | ${f.modes.join(', ')} | ${f.fails.map((x) => cell(failureLine(x))).join('<br>')} |`,
  );
  return [
    TABLE_START,
    '| fault | the mistake | runs in | fails exactly (scenario [mode]: first failed check) |',
    '|---|---|---|---|',
    ...rows,
    TABLE_END,
  ].join('\n');
}

/**
 * What `npm test` runs when SKYPROBE_RENDERER_FAULTS is unset: one fault, so that every CI run proves a faulty
 * renderer fails exactly its scenarios; the one whose run is the shortest in both routings (141 s of the 23 min
 * all five take, measured 2026-12-02).
 */
export const FAULTS_IN_NPM_TEST = ['www-drops-path'];

/**
 * The faults the lab test runs, from SKYPROBE_RENDERER_FAULTS: `1` every fault, a comma list those named (one catalog
 * run each, so that the lab lock can be let go between them), `0` none, unset or empty `byDefault`. A name that is no
 * fault: an error naming it and the known ones.
 */
export function selectFaults(value: string | undefined, known: string[], byDefault: string[] = []): string[] {
  const v = (value ?? '').trim();
  if (v === '0') return [];
  if (v === '') return known.filter((n) => byDefault.includes(n));
  if (v === '1') return known;
  const names = v
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.find((n) => !known.includes(n));
  if (unknown !== undefined)
    throw new Error(
      `SKYPROBE_RENDERER_FAULTS names ${unknown}, which is no fault (known: ${known.join(', ')}; or 1 for all)`,
    );
  return known.filter((n) => names.includes(n));
}
