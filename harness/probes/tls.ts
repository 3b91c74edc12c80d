/**
 * TLS probe: what the edge serves for an SNI, from inside a lab host, with openssl s_client. Verification is
 * against an explicit trust root (never skipped); the record carries the verdict and each certificate's
 * subject, issuer, validity and SANs.
 */
import type { Runner } from '../exec/runner.ts';

export interface CertInfo {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sans: string[];
}

export interface TlsProbe {
  host: string;
  connectTo: string;
  trustRoot: string;
  /** The chain verified against trustRoot and the name matched host. */
  verified: boolean;
  verifyError?: string;
  chain: CertInfo[];
  error?: string;
}

/** Split PEM certificates out of s_client's -showcerts output. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

export function parseX509Text(text: string): CertInfo {
  const field = (re: RegExp) => re.exec(text)?.[1]?.trim() ?? '';
  const sanLine = /X509v3 Subject Alternative Name:\s*\n\s*(.+)/.exec(text)?.[1] ?? '';
  return {
    subject: field(/^subject=(.*)$/m),
    issuer: field(/^issuer=(.*)$/m),
    notBefore: field(/^notBefore=(.*)$/m),
    notAfter: field(/^notAfter=(.*)$/m),
    sans: sanLine.split(',').map((s) => s.trim().replace(/^DNS:/, '')).filter(Boolean),
  };
}

export async function probeTls(run: Runner, netns: string, host: string, connectTo: string, trustRoot: string): Promise<TlsProbe> {
  const res = await run(
    'ip',
    ['netns', 'exec', netns, 'openssl', 's_client', '-connect', `${connectTo}:443`, '-servername', host, '-verify_hostname', host, '-CAfile', trustRoot, '-showcerts', '-verify_return_error'],
    { input: '', timeoutMs: 8000 },
  );
  const verifyCode = /Verify return code: (\d+) \(([^)]*)\)/.exec(res.output);
  const chain: CertInfo[] = [];
  for (const pem of pemBlocks(res.output)) {
    const x = await run('openssl', ['x509', '-noout', '-subject', '-issuer', '-dates', '-ext', 'subjectAltName'], { input: pem, timeoutMs: 5000 });
    chain.push(parseX509Text(x.output));
  }
  const verified = res.exitCode === 0 && verifyCode?.[1] === '0';
  const out: TlsProbe = { host, connectTo, trustRoot, verified, chain };
  if (!verified) out.verifyError = verifyCode ? `${verifyCode[1]} (${verifyCode[2]})` : /verify error:[^\n]*/.exec(res.output)?.[0] ?? 'no verification result';
  if (chain.length === 0) out.error = res.output.split('\n').find((l) => /error|refused|connect:/i.test(l)) ?? `openssl exit ${res.exitCode}`;
  return out;
}
