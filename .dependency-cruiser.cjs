/**
 * The layer rule, as dependency-cruiser checks it over harness/, suites/, scripts/ and bin/: harness/layers.test.ts
 * runs it in `npm run test:unit` (and `npx depcruise harness suites scripts bin` prints the same).
 *
 * LAYERS lists the layers top to bottom; the folders in one row are one layer. A module imports modules of its own
 * layer and of any layer below it, never one above. Every import counts: static, dynamic (`await import()`) and
 * type-only. No import circle, type-only imports included. harness/testing/ is test support: only *.test.ts files
 * import it. Suites reach the world through the scenario env, never a provider's modules.
 */
const LAYERS = [
  // Entry points, and tests that drive everything (the lab end-to-end tests, whole-repo checks).
  {
    name: 'top',
    paths: ['^bin/', '^scripts/', '^harness/e2e/', '^harness/[^/]+\\.test\\.ts$', '^harness/vitest\\.config\\.ts$'],
  },
  { name: 'cli', paths: ['^harness/cli/'] },
  { name: 'run', paths: ['^harness/run/'] },
  { name: 'report', paths: ['^harness/report/'] },
  // Upstream suites (harness/upstream/: the Gateway API conformance binary, run and read) sit with skyprobe's own.
  { name: 'suites', paths: ['^suites/', '^harness/upstream/'] },
  { name: 'scenario', paths: ['^harness/scenario/'] },
  // The embedded provider's own programs (the kubelet stand-in, the Talos API stand-in) sit with the providers.
  // harness/automation/ is the platform's automation of the renderer contract's objects (stack/automation.ts).
  {
    name: 'providers',
    paths: ['^harness/providers/', '^harness/pod-runner/', '^harness/mgmt/', '^harness/automation/'],
  },
  // capture/ (bundles of what domains check reads, and how a lab replays them) sits with the facts it reads.
  { name: 'facts+stack', paths: ['^harness/facts/', '^harness/stack/', '^harness/capture/'] },
  { name: 'probes+setup+k8s', paths: ['^harness/probes/', '^harness/setup/', '^harness/k8s/'] },
  { name: 'exec', paths: ['^harness/exec/'] },
  { name: 'root', paths: ['^harness/(errors|log|paths|converge|timeouts)\\.ts$'] },
];
const paths = (layers) => layers.flatMap((l) => l.paths);

const SOURCES = '^(harness|suites|scripts|bin)/';
const TESTING = '^harness/testing/';
const TEST_FILE = '\\.test\\.ts$';

const layerRules = LAYERS.slice(1).map((layer, i) => ({
  name: `layer:${layer.name}`,
  comment: `${layer.name} imports only its own layer and those below, never ${LAYERS.slice(0, i + 1)
    .map((l) => l.name)
    .join(', ')}`,
  severity: 'error',
  from: { path: layer.paths },
  to: { path: paths(LAYERS.slice(0, i + 1)) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'in-a-layer',
      comment:
        'a module that imports skyprobe code lives in a folder of LAYERS (.dependency-cruiser.cjs) or harness/testing/',
      severity: 'error',
      from: { path: SOURCES, pathNot: [...paths(LAYERS), TESTING] },
      to: { path: SOURCES },
    },
    {
      name: 'testing-only-in-tests',
      comment: 'harness/testing/ is test support: only *.test.ts files (and test support itself) import it',
      severity: 'error',
      from: { path: SOURCES, pathNot: [TEST_FILE, TESTING] },
      to: { path: TESTING },
    },
    {
      name: 'testing-below-its-tests',
      comment:
        'test support imports only exec/ and the root files (errors, log, paths, converge, timeouts), so every test may use it',
      severity: 'error',
      from: { path: TESTING },
      to: { path: SOURCES, pathNot: [TESTING, ...paths(LAYERS.slice(-2))] },
    },
    {
      name: 'suites-through-env',
      comment:
        "a scenario reaches the world through its ScenarioEnv (harness/scenario/env.ts), never a provider's modules",
      severity: 'error',
      from: { path: '^suites/' },
      to: { path: paths(LAYERS.filter((l) => l.name === 'providers')) },
    },
    {
      name: 'no-circular',
      comment: 'no import circle, type-only imports included',
      severity: 'error',
      from: { path: SOURCES },
      to: { circular: true },
    },
    {
      name: 'not-resolvable',
      comment: 'an import that resolves to no file',
      severity: 'error',
      from: { path: SOURCES },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: `import type` is a dependency as much as any other.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|reports|fixtures)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.cjs'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
