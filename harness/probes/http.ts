/**
 * HTTP from inside a lab namespace (or from this machine when none is given), with curl: how the harness reaches
 * hosts the root namespace does not route (the lab's internet side), and how a request "from the internet" is made. Bounded: every request carries a
 * timeout. Redirects are never followed. TLS is verified against the given CA only (never skipped).
 */
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS, seconds } from '../timeouts.ts';

export interface NetnsHttpResult {
  /** 0 when no HTTP answer came (connection, DNS or TLS failure: see error). */
  status: number;
  body: string;
  /** Location of a redirect, as sent. */
  location?: string;
  remoteIp?: string;
  /** curl's verdict on the certificate chain and name (0 = verified). */
  sslVerifyResult?: number;
  error?: string;
  /** curl's exit code (0 = an answer came; 28 timeout, 7 refused, 35 TLS handshake, 60 certificate, …). */
  curlExit?: number;
  timeTotalMs?: number;
  /** Response headers, lower-cased names (only with `headers: true`). */
  headers?: Record<string, string[]>;
}

export interface NetnsHttpOptions {
  cacert?: string;
  timeoutS?: number;
  /** Connect to this address instead of resolving the URL's host (host:port:address, as curl --resolve). */
  resolve?: string;
  /** Record the response headers too. */
  headers?: boolean;
  /** Keep at most this many characters of the body. */
  bodyLimit?: number;
}

/** Where the write-out's header JSON begins (a line no body of ours ends with). */
const HEADERS_MARK = '--skyprobe-headers--';

export async function httpFromNetns(
  run: Runner,
  netns: string | undefined,
  url: string,
  opts: NetnsHttpOptions = {},
): Promise<NetnsHttpResult> {
  const t = opts.timeoutS ?? seconds(TIMEOUTS.httpRequest);
  const curl = [
    'curl',
    '-sS',
    '-m',
    String(t),
    '-w',
    opts.headers ? `\n${HEADERS_MARK}%{header_json}\n%{json}` : '\n%{json}',
    ...(opts.cacert ? ['--cacert', opts.cacert] : []),
    ...(opts.resolve ? ['--resolve', opts.resolve] : []),
    url,
  ];
  const res = netns
    ? await run('ip', ['netns', 'exec', netns, ...curl], { timeoutMs: t * 1000 + TIMEOUTS.probeExit })
    : await run('curl', curl.slice(1), { timeoutMs: t * 1000 + TIMEOUTS.probeExit });
  const nl = res.output.lastIndexOf('\n{');
  let w: Record<string, unknown> = {};
  try {
    w = JSON.parse(res.output.slice(nl + 1)) as Record<string, unknown>;
  } catch {
    // no write-out: curl itself failed
  }
  const mark = opts.headers ? res.output.lastIndexOf(`\n${HEADERS_MARK}`, nl) : -1;
  const body = nl >= 0 && res.exitCode === 0 ? res.output.slice(0, mark >= 0 ? mark : nl) : '';
  const out: NetnsHttpResult = {
    status: Number(w.http_code ?? w.response_code ?? 0),
    body,
    location: (w.redirect_url as string) || undefined,
    remoteIp: (w.remote_ip as string) || undefined,
    sslVerifyResult: typeof w.ssl_verify_result === 'number' ? w.ssl_verify_result : undefined,
    timeTotalMs: typeof w.time_total === 'number' ? Math.round(w.time_total * 1000) : undefined,
  };
  if (opts.bodyLimit !== undefined) out.body = out.body.slice(0, opts.bodyLimit);
  if (typeof w.exitcode === 'number') out.curlExit = w.exitcode;
  else if (res.exitCode !== 0) out.curlExit = res.exitCode;
  if (mark >= 0) {
    try {
      out.headers = JSON.parse(res.output.slice(mark + HEADERS_MARK.length + 1, nl)) as Record<string, string[]>;
    } catch {
      // no headers: no answer came
    }
  }
  if (res.exitCode !== 0)
    out.error = (w.errormsg as string) || res.output.trim().split('\n')[0] || `curl exit ${res.exitCode}`;
  return out;
}

/** Whether a TCP connection from a lab namespace to host:port opens (bounded; nothing is sent). */
export async function tcpFromNetns(
  run: Runner,
  netns: string,
  host: string,
  port: number,
  timeoutS = seconds(TIMEOUTS.tcpConnect),
): Promise<{ open: boolean; detail: string }> {
  const target = host.includes(':') ? `[${host}]` : host;
  const res = await run(
    'ip',
    ['netns', 'exec', netns, 'timeout', String(timeoutS), 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`],
    { timeoutMs: timeoutS * 1000 + TIMEOUTS.probeExit },
  );
  return {
    open: res.exitCode === 0,
    detail:
      res.exitCode === 0
        ? `${target}:${port} open`
        : res.exitCode === 124
          ? `${target}:${port} timed out after ${timeoutS}s`
          : `${target}:${port}: ${res.output.trim().split('\n').at(-1) ?? `exit ${res.exitCode}`}`,
  };
}
