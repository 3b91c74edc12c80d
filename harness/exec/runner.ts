/**
 * Running commands. Everything skyprobe runs goes through a Runner, so that tests can replace the machine
 * with a scripted one and so that every failure can name its command. A Runner never throws for a non-zero
 * exit: callers decide what a failure means and raise a CommandError with a hint.
 */
import { appendFileSync } from 'node:fs';
import { execa } from 'execa';
import { shellQuote } from '../errors.ts';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Append the command line and its combined output to this file. */
  logFile?: string;
  timeoutMs?: number;
  input?: string;
  /** Called with each line of stdout as it comes (a long program's progress); the output is kept as well. */
  onLine?: (line: string) => void;
}

export interface RunResult {
  command: string;
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
  timedOut: boolean;
  /** The program could not be started at all (not found, not executable). */
  notFound: boolean;
  durationMs: number;
}

export type Runner = (file: string, args: readonly string[], opts?: RunOptions) => Promise<RunResult>;

/** The real runner, on top of execa. */
export const execRunner: Runner = async (file, args, opts = {}) => {
  const command = shellQuote([file, ...args]);
  const started = Date.now();
  const onLine = opts.onLine
    ? function* (line: unknown) {
        opts.onLine?.(String(line));
        yield line;
      }
    : undefined;
  if (opts.logFile)
    appendFileSync(opts.logFile, `\n$ ${opts.cwd ? `(cd ${opts.cwd} && ` : ''}${command}${opts.cwd ? ')' : ''}\n`);
  const res = await execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    all: true,
    reject: false,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    input: opts.input,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    // The output goes to the log file as it comes, so that a long build can be followed with tail -f.
    stdout: [...(onLine ? [onLine] : []), 'pipe', ...(opts.logFile ? [{ file: opts.logFile, append: true }] : [])],
    stderr: ['pipe', ...(opts.logFile ? [{ file: opts.logFile, append: true }] : [])],
  });
  const notFound = res.exitCode === undefined && /ENOENT/.test(String(res.message ?? ''));
  const output = typeof res.all === 'string' ? res.all : '';
  if (opts.logFile && res.exitCode !== 0)
    appendFileSync(opts.logFile, `[exit ${res.exitCode ?? 'none'}${res.timedOut ? ', timed out' : ''}]\n`);
  return {
    command,
    exitCode: res.exitCode ?? (notFound ? 127 : 1),
    output,
    timedOut: Boolean(res.timedOut),
    notFound,
    durationMs: Date.now() - started,
  };
};
