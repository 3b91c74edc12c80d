/**
 * How the CLI ends (bin/exit.mjs): everything it wrote reaches a reader that is slower than the writer. Before, the
 * CLI called process.exit() right after the verb, and `domains check --all --json` of a 64-host fleet read through
 * a pipe came out cut at 128 KiB (the scale bench, 2026-12-02). The twin shows the test can fail: the same output
 * with a bare process.exit() loses its tail.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths.ts';
import { TIMEOUTS } from './timeouts.ts';

const BYTES = 4 << 20;
/** `node` writes BYTES to stdout and ends with `ending`, read by a reader that starts a second late. */
async function readSlowly(ending: string): Promise<number> {
  const exitModule = join(repoRoot(), 'bin', 'exit.mjs');
  const script = `import { exitWhenFlushed } from ${JSON.stringify(exitModule)}; process.stdout.write('x'.repeat(${BYTES})); ${ending}`;
  const r = await execa('sh', ['-c', `node --input-type=module -e "$0" | (sleep 1; wc -c)`, script], {
    timeout: TIMEOUTS.unitTest,
  });
  return Number(r.stdout.trim());
}

describe('the CLI ends once its output is out', () => {
  it('a slow reader of a pipe gets every byte', async () => {
    expect(await readSlowly('await exitWhenFlushed(0);')).toBe(BYTES);
  });
  it('twin: a bare process.exit() drops what the pipe had not taken', async () => {
    expect(await readSlowly('process.exit(0);')).toBeLessThan(BYTES);
  });
});
