/**
 * The layer rule (.dependency-cruiser.cjs), checked with dependency-cruiser's API over harness/, suites/, scripts/
 * and bin/: no import reaches a layer above its own, no circle (type-only imports included), test support only in
 * tests, suites never import a provider. A failure lists every violation as `from -> to (rule)`. Its fault twin
 * cruises a small tree that breaks each rule once and expects exactly those violations.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ICruiseOptions, type ICruiseResult, type IViolation, cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './paths.ts';

const ROOTS = ['harness', 'suites', 'scripts', 'bin'];
const config = createRequire(import.meta.url)(join(repoRoot(), '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden'];
  options: ICruiseOptions;
};

async function cruiseTree(baseDir: string, tsConfig?: unknown): Promise<ICruiseResult> {
  const { tsConfig: _file, ...options } = config.options;
  const result = await cruise(
    ROOTS,
    { ...options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } },
    {},
    { tsConfig },
  );
  return result.output as ICruiseResult;
}

/** One line per violation: from -> to (rule), with the circle when there is one. */
const lines = (violations: IViolation[]) =>
  violations.map(
    (v) =>
      `${v.from} -> ${v.to} (${v.rule.name})${v.cycle ? `: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}` : ''}`,
  );

describe('the layer rule', () => {
  it('holds for every module: no import upward, no circle, test support only in tests', async () => {
    const r = await cruiseTree(repoRoot(), extractTSConfig(join(repoRoot(), 'tsconfig.json')));
    expect(lines(r.summary.violations)).toEqual([]);
    // The cruise saw the code: the CLI, the scenarios, the scripts, and type-only imports as dependencies.
    const sources = r.modules.map((m) => m.source);
    for (const m of ['bin/skyprobe.mjs', 'harness/cli/main.ts', 'suites/management/MG-01.ts', 'scripts/bench.ts'])
      expect(sources).toContain(m);
    expect(r.summary.totalCruised).toBeGreaterThan(150);
    const schema = r.modules.find((m) => m.source === 'harness/report/schema.ts');
    expect(
      schema?.dependencies.find((d) => d.resolved === 'harness/scenario/report-host.ts')?.dependencyTypes,
    ).toContain('type-only');
  }, 60_000);

  describe('fault twin: a tree that breaks each rule once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-layers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const files: Record<string, string> = {
      // facts/ importing a provider (a layer above it), at run time.
      'harness/facts/site.ts': "import { lab } from '../providers/embedded/lab.ts';\nexport const site = lab;\n",
      // A provider importing the scenario layer, type-only: still a dependency.
      'harness/providers/embedded/lab.ts':
        "import type { Env } from '../../scenario/env.ts';\nexport const lab: Partial<Env> = {};\n",
      // A type-only circle inside one layer (reported once, from where the cruise met it first).
      'harness/scenario/env.ts': "import type { Part } from './part.ts';\nexport interface Env { part?: Part }\n",
      'harness/scenario/part.ts': "import type { Env } from './env.ts';\nexport interface Part { env?: Env }\n",
      // Test support in production code.
      'harness/stack/deploy.ts': "import { fake } from '../testing/fake.ts';\nexport const deploy = fake;\n",
      'harness/testing/fake.ts': 'export const fake = 1;\n',
      // A test may use test support (no violation).
      'harness/stack/deploy.test.ts': "import { fake } from '../testing/fake.ts';\nexport const t = fake;\n",
      // A module outside every layer.
      'harness/stray.ts': "import { fake } from './testing/fake.ts';\nexport const stray = fake;\n",
      // A scenario importing a provider's module instead of going through its env.
      'suites/management/MG-09.ts':
        "import { lab } from '../../harness/providers/embedded/lab.ts';\nexport default lab;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    for (const root of ROOTS) mkdirSync(join(dir, root), { recursive: true });

    it('finds exactly those violations', async () => {
      const r = await cruiseTree(dir);
      expect(lines(r.summary.violations).sort()).toEqual(
        [
          'harness/facts/site.ts -> harness/providers/embedded/lab.ts (layer:facts+stack)',
          'harness/providers/embedded/lab.ts -> harness/scenario/env.ts (layer:providers)',
          'harness/scenario/env.ts -> harness/scenario/part.ts (no-circular): harness/scenario/env.ts -> harness/scenario/part.ts -> harness/scenario/env.ts',
          'harness/stack/deploy.ts -> harness/testing/fake.ts (testing-only-in-tests)',
          'harness/stray.ts -> harness/testing/fake.ts (in-a-layer)',
          'harness/stray.ts -> harness/testing/fake.ts (testing-only-in-tests)',
          'suites/management/MG-09.ts -> harness/providers/embedded/lab.ts (suites-through-env)',
        ].sort(),
      );
    }, 60_000);
  });
});
