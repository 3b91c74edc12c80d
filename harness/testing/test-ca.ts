/**
 * A throwaway CA for tests, made with openssl: leaf certificates with any validity window (past, future), for
 * any host, to put in a TLS Secret and see what the TLS fact says of them. `openssl ca` is used because it can
 * set notBefore/notAfter explicitly (`x509 -req` in OpenSSL 3.0 only takes -days).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EC_KEY, openssl } from '../exec/openssl.ts';
import { execRunner } from '../exec/runner.ts';

export interface TestCa {
  dir: string;
  cert: string;
  key: string;
}

export async function makeTestCa(dir: string, name = 'skyprobe test CA'): Promise<TestCa> {
  mkdirSync(dir, { recursive: true });
  const ca = { dir, cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  await openssl(
    execRunner,
    ['req', '-x509', ...EC_KEY, '-keyout', ca.key, '-out', ca.cert, '-days', '2', '-subj', `/CN=${name}`],
    'make a test certificate',
  );
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n`,
  );
  return ca;
}

/** A leaf for `host` valid from `notBefore` to `notAfter`; returns its PEM certificate and key. */
export async function issueLeaf(
  ca: TestCa,
  host: string,
  notBefore: Date,
  notAfter: Date,
): Promise<{ cert: string; key: string }> {
  const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  const base = join(ca.dir, `${host}-${stamp(notBefore)}`);
  await openssl(
    execRunner,
    ['req', '-new', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${host}`],
    'make a test certificate',
  );
  writeFileSync(`${base}.ext`, `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  await openssl(
    execRunner,
    [
      'ca',
      '-batch',
      '-notext',
      '-config',
      join(ca.dir, 'ca.cnf'),
      '-cert',
      ca.cert,
      '-keyfile',
      ca.key,
      '-in',
      `${base}.csr`,
      '-out',
      `${base}.crt`,
      '-startdate',
      stamp(notBefore),
      '-enddate',
      stamp(notAfter),
      '-extfile',
      `${base}.ext`,
    ],
    'make a test certificate',
  );
  return { cert: readFileSync(`${base}.crt`, 'utf8'), key: readFileSync(`${base}.key`, 'utf8') };
}
