/** openssl through the Runner: one place for the key type skyprobe makes and for what a failure says. */
import { runChecked } from './checked.ts';
import type { Runner } from './runner.ts';

/** A new P-256 key, unencrypted: the arguments of `openssl req` that make it. */
export const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Run openssl; a failure is a CommandError saying "failed to <what>" with the command and its output. */
export async function openssl(run: Runner, args: string[], what: string): Promise<void> {
  await runChecked(run, ['openssl', ...args], {
    what,
    hint: (res) => (res.notFound ? 'openssl is missing: run npx skyprobe setup (it installs the Debian packages)' : undefined),
  });
}
