#!/usr/bin/env node
// The skyprobe CLI. The code is TypeScript, run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`skyprobe --help | head`) closes the pipe: that is the end, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
