import { defineConfig } from 'vitest/config';
import { TIMEOUTS } from './timeouts.ts';

// Four projects: `unit` tests the harness's own logic with no lab (*.test.ts beside the code); `components` checks
// the real binaries that `skyprobe setup` built (*.int.test.ts; npm test runs setup first); `lab` runs real labs
// (*.lab.test.ts: beside the provider for the lab's own tests, harness/e2e/ for those that drive the whole harness);
// `conformance` is the scenario catalog, run by `skyprobe run`. npm test runs the first three.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    // The JSON summary is what .ci/run counts for its closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/tests.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts'],
          exclude: ['harness/**/*.int.test.ts', 'harness/**/*.lab.test.ts'],
          testTimeout: TIMEOUTS.unitTest,
        },
      },
      { test: { name: 'components', include: ['harness/**/*.int.test.ts'], testTimeout: TIMEOUTS.componentTest } },
      // One lab at a time on a machine (fixed address plan): lab tests run one file after another.
      {
        test: {
          name: 'lab',
          include: ['harness/**/*.lab.test.ts'],
          testTimeout: TIMEOUTS.labTest,
          hookTimeout: TIMEOUTS.labHook,
          fileParallelism: false,
        },
      },
      // The conformance scenarios: run by `skyprobe run` (npm run conformance), not by npm test. One test file, the
      // catalog, imports the scenarios skyprobe run chose, so that they can run side by side (--parallel N).
      {
        test: {
          name: 'conformance',
          include: ['suites/catalog.ts'],
          setupFiles: ['harness/scenario/register.ts'],
          testTimeout: TIMEOUTS.scenarioRun,
          fileParallelism: false,
        },
      },
    ],
  },
});
