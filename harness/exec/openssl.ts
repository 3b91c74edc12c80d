/**
 * openssl through the Runner: one place for the key type skyprobe makes, the CA and leaf recipes the lab's PKI and
 * the kind provider's Pebble listener share, and what a failure says.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './checked.ts';
import type { Runner } from './runner.ts';

/** A new P-256 key, unencrypted: the arguments of `openssl req` that make it. */
export const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Run openssl; a failure is a CommandError saying "failed to <what>" with the command and its output. */
export async function openssl(run: Runner, args: string[], what: string): Promise<void> {
  await runChecked(run, ['openssl', ...args], {
    what,
    hint: (res) =>
      res.notFound ? 'openssl is missing: run npx skyprobe setup (it installs the Debian packages)' : undefined,
  });
}

/** A self-signed CA in `dir` (ca.crt, ca.key). */
export async function makeCa(run: Runner, dir: string, subject: string, days: number, what: string): Promise<void> {
  await openssl(
    run,
    [
      'req',
      '-x509',
      '-new',
      ...EC_KEY,
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      join(dir, 'ca.crt'),
      '-days',
      String(days),
      '-subj',
      subject,
    ],
    what,
  );
}

/** A leaf `<name>.crt`/`<name>.key` in `dir`, signed by its CA; `ext` is an openssl extension file's text. */
export async function signLeaf(
  run: Runner,
  dir: string,
  name: string,
  subject: string,
  ext: string,
  days: number,
): Promise<void> {
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  await openssl(
    run,
    ['req', '-new', ...EC_KEY, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', subject],
    `make a key for ${name}`,
  );
  await openssl(
    run,
    [
      'x509',
      '-req',
      '-in',
      join(dir, `${name}.csr`),
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      String(days),
      '-extfile',
      extFile,
      '-out',
      join(dir, `${name}.crt`),
    ],
    `sign the certificate of ${name}`,
  );
}
