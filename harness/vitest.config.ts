import { defineConfig } from 'vitest/config';

// Two projects: `unit` tests the harness's own logic with no lab; `components` checks the real binaries that
// `skyprobe setup` built (npm test runs setup first).
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    // The JSON summary is what .ci/run counts for its closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/tests.json' },
    projects: [
      { test: { name: 'unit', include: ['harness/**/*.test.ts'], exclude: ['harness/**/*.int.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'components', include: ['harness/**/*.int.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
