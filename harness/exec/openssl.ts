/** openssl through the Runner: one place for the key type skyprobe makes and for what a failure says. */
import { CommandError, tail } from '../errors.ts';
import type { Runner } from './runner.ts';

/** A new P-256 key, unencrypted: the arguments of `openssl req` that make it. */
export const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Run openssl; a failure is a CommandError saying "failed to <what>" with the command and its output. */
export async function openssl(run: Runner, args: string[], what: string): Promise<void> {
  const res = await run('openssl', args, { timeoutMs: 20_000 });
  if (res.exitCode !== 0)
    throw new CommandError(`failed to ${what}`, {
      command: `openssl ${args.join(' ')}`,
      exitCode: res.exitCode,
      outputTail: tail(res.output),
      hint: res.notFound ? 'openssl is missing: run npx skyprobe setup (it installs the Debian packages)' : undefined,
    });
}
