/** How the CLI reports an error: one line with the problem, one with the fix; details only with --verbose. */
import { CommandError, SkyprobeError } from '../errors.ts';

export function printError(err: unknown, verbose: boolean, out: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof SkyprobeError) {
    out.write(`error: ${err.message}\n`);
    if (err.hint) out.write(`  hint: ${err.hint}\n`);
    if (verbose && err instanceof CommandError) {
      out.write(`  command: ${err.command}\n`);
      if (err.outputTail) out.write(`  output:\n${err.outputTail.replace(/^/gm, '    ')}\n`);
    }
    if (verbose && err.stack) out.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  out.write(`error: ${e.message}\n`);
  if (verbose) out.write(`${e.stack ?? ''}\n`);
  else out.write('  hint: this is unexpected; rerun with --verbose and report it with the output\n');
  return 2;
}
