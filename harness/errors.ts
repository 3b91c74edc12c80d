/**
 * Errors that reach a user. Each carries what is needed to print ONE clear line (the problem), a hint
 * (the fix), and, where a command failed, the command, its exit code and the tail of its output.
 * The CLI prints `error: <message>` and `  hint: <hint>`; the stack only with --verbose.
 */

/** Base of every error skyprobe expects and explains. exitCode follows DESIGN.md: 2 = bad input or environment. */
export class SkyprobeError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
  }
}

/** A command skyprobe ran failed. `command` is shell-pasteable; `logFile` holds its whole output. */
export class CommandError extends SkyprobeError {
  readonly command: string;
  readonly commandExitCode: number | undefined;
  readonly outputTail: string;
  readonly logFile: string | undefined;
  constructor(
    message: string,
    details: {
      command: string;
      exitCode?: number;
      outputTail?: string;
      logFile?: string;
      hint?: string;
      cause?: unknown;
    },
  ) {
    super(message, { hint: details.hint, cause: details.cause });
    this.command = details.command;
    this.commandExitCode = details.exitCode;
    this.outputTail = details.outputTail ?? '';
    this.logFile = details.logFile;
  }
}

/** Last `lines` non-empty lines of a text, for error messages. */
export function tail(text: string, lines = 5): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-lines)
    .join('\n');
}

/** Quote an argv so that it can be pasted into a shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
