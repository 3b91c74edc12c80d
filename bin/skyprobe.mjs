#!/usr/bin/env node
// The skyprobe CLI: harness/cli/main.ts, compiled ahead of time into dist/ (npm run build, run by npm ci), or run
// through tsx's loader when dist/ is missing or older than a source (bin/compiled.mjs).
import { importHarness } from './compiled.mjs';
import { exitWhenFlushed } from './exit.mjs';

// A reader that stops early (`skyprobe --help | head`) closes the pipe: that is the end, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
const { main } = await importHarness('harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// The verb is done: end once its output is out, not once the libraries' idle keep-alive connections and timers let
// the loop run dry.
await exitWhenFlushed(process.exitCode);
