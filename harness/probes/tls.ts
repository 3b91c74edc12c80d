/**
 * TLS probe: what the edge serves for an SNI, with openssl s_client (run inside a lab host, or on this machine).
 * Verification is against an explicit trust root (never skipped): the record carries openssl's verdict, each
 * served certificate's subject, issuer, validity and SANs (parsed in-process), and the PEMs for further checks.
 */
import { X509Certificate } from 'node:crypto';
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS, seconds } from '../timeouts.ts';

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
  /** The chain verified against trustRoot and the name matched host (openssl's verdict). */
  verified: boolean;
  verifyError?: string;
  chain: CertInfo[];
  /** Why no certificate came (connection refused, timeout, handshake failure). */
  error?: string;
  durationMs: number;
}

/** Split PEM certificates out of s_client's -showcerts output. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** A distinguished name on one line (Node gives none for an empty subject, as ACME certificates often have). */
const oneLine = (dn: string | undefined) => (dn ?? '').split('\n').filter(Boolean).join(', ');

export function certInfo(pem: string): CertInfo {
  const x = new X509Certificate(pem);
  const sans = (x.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  return { subject: oneLine(x.subject), issuer: oneLine(x.issuer), notBefore: x.validFrom, notAfter: x.validTo, sans };
}

export interface TlsProbeOptions {
  /** Namespace to connect from; absent: this machine's own. */
  netns?: string;
  port?: number;
  timeoutS?: number;
}

/** What the edge served: the PEMs of the chain as sent, and openssl's verdict against the trust root. */
export interface ServedChain {
  target: string;
  pems: string[];
  verifyCode?: number;
  verifyText?: string;
  error?: string;
  durationMs: number;
}

export async function servedChain(
  run: Runner,
  host: string,
  connectTo: string,
  trustRoot: string,
  o: TlsProbeOptions = {},
): Promise<ServedChain> {
  const t0 = Date.now();
  const timeoutS = o.timeoutS ?? seconds(TIMEOUTS.tlsHandshake);
  const target = connectTo.includes(':') ? `[${connectTo}]:${o.port ?? 443}` : `${connectTo}:${o.port ?? 443}`;
  const argv = [
    'timeout',
    String(timeoutS),
    'openssl',
    's_client',
    '-connect',
    target,
    '-servername',
    host,
    '-verify_hostname',
    host,
    '-CAfile',
    trustRoot,
    '-showcerts',
  ];
  const opts = { input: '', timeoutMs: timeoutS * 1000 + TIMEOUTS.probeExit };
  const res = o.netns
    ? await run('ip', ['netns', 'exec', o.netns, ...argv], opts)
    : await run(argv[0] as string, argv.slice(1), opts);
  const verify = /Verify return code: (\d+) \(([^)]*)\)/.exec(res.output);
  const out: ServedChain = { target, pems: pemBlocks(res.output), durationMs: Date.now() - t0 };
  if (verify) Object.assign(out, { verifyCode: Number(verify[1]), verifyText: verify[2] });
  if (out.pems.length === 0)
    out.error =
      res.exitCode === 124
        ? `no TLS answer from ${target} within ${timeoutS} s`
        : (
            res.output.split('\n').find((l) => /error|refused|connect:/i.test(l)) ?? `openssl exit ${res.exitCode}`
          ).trim();
  return out;
}

export async function probeTls(
  run: Runner,
  host: string,
  connectTo: string,
  trustRoot: string,
  o: TlsProbeOptions = {},
): Promise<TlsProbe> {
  const s = await servedChain(run, host, connectTo, trustRoot, o);
  const chain = s.pems.map(certInfo);
  const verified = s.verifyCode === 0 && chain.length > 0;
  const out: TlsProbe = { host, connectTo, trustRoot, verified, chain, durationMs: s.durationMs };
  if (!verified)
    out.verifyError = s.verifyCode !== undefined ? `${s.verifyCode} (${s.verifyText})` : 'no verification result';
  if (s.error) out.error = s.error;
  return out;
}
