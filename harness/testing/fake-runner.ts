/**
 * A scripted Runner for unit tests: each call is answered by the first rule whose matcher accepts the
 * command line; every call is recorded. Unmatched calls fail loudly, so a test never runs a real program.
 */
import type { RunOptions, RunResult, Runner } from '../exec/runner.ts';

export type Reply = Partial<Pick<RunResult, 'exitCode' | 'output' | 'timedOut' | 'notFound'>>;
export interface Rule {
  match: RegExp | ((line: string, file: string, args: readonly string[]) => boolean);
  reply: Reply | ((file: string, args: readonly string[], opts: RunOptions) => Reply);
}

export interface FakeRunner {
  run: Runner;
  calls: { line: string; opts: RunOptions }[];
}

export function fakeRunner(rules: Rule[]): FakeRunner {
  const calls: FakeRunner['calls'] = [];
  const run: Runner = async (file, args, opts = {}) => {
    const line = [file, ...args].join(' ');
    calls.push({ line, opts });
    const rule = rules.find((r) => (r.match instanceof RegExp ? r.match.test(line) : r.match(line, file, args)));
    if (!rule) throw new Error(`fake runner: no rule for "${line}"`);
    const reply = typeof rule.reply === 'function' ? rule.reply(file, args, opts) : rule.reply;
    return {
      command: line,
      exitCode: reply.exitCode ?? 0,
      output: reply.output ?? '',
      timedOut: reply.timedOut ?? false,
      notFound: reply.notFound ?? false,
      durationMs: 1,
    };
  };
  return { run, calls };
}
