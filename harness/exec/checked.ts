/**
 * Run a command that must succeed: its output, or a CommandError saying "failed to <what>" with the command line
 * (shell-quoted, pasteable), its exit code, the tail of its output, its log and a hint.
 */
import { CommandError, shellQuote, tail } from '../errors.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { RunResult, Runner } from './runner.ts';

export interface CheckedOptions {
  what: string;
  timeoutMs?: number;
  input?: string;
  logFile?: string;
  /** The fix to print; a function sees the failed result (e.g. the program was not found). */
  hint?: string | ((res: RunResult) => string | undefined);
}

export async function runChecked(run: Runner, argv: readonly string[], o: CheckedOptions): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  const timeoutMs = o.timeoutMs ?? TIMEOUTS.command;
  const res = await run(file, args, { timeoutMs, input: o.input, logFile: o.logFile });
  if (res.exitCode !== 0)
    throw new CommandError(`failed to ${o.what}${res.timedOut ? ` (timed out after ${timeoutMs / 1000} s)` : ''}`, {
      command: shellQuote(argv),
      exitCode: res.exitCode,
      outputTail: tail(res.output),
      logFile: o.logFile,
      hint: typeof o.hint === 'function' ? o.hint(res) : o.hint,
    });
  return res.output;
}
