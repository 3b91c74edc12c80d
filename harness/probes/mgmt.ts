/**
 * Management-path probes, from a host's network namespace: the SideroLink overlay as WireGuard reports it
 * (peers, last handshake, transfer counters), and the Talos API answering a Version call (answer and latency).
 * The caller says where they stand and what they present (OverlayAt, ApidClient: plain data; the embedded lab's
 * come from the embedded provider's mgmt.ts); the probes know no lab.
 */
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS } from '../timeouts.ts';

/** Where the overlay is read: a host's network namespace and its WireGuard interface. */
export interface OverlayAt {
  netns: string;
  iface: string;
}

export interface OverlayPeer {
  publicKey: string;
  endpoint?: string;
  allowedIps: string[];
  latestHandshake?: string;
  handshakeAgeS?: number;
  rxBytes: number;
  txBytes: number;
}

export interface OverlayStatus {
  iface: string;
  up: boolean;
  listenPort?: number;
  peers: OverlayPeer[];
  error?: string;
}

/** Parse `wg show IFACE dump`. Pure. */
export function parseWgDump(text: string, nowS = Date.now() / 1000): Omit<OverlayStatus, 'iface' | 'up'> {
  const lines = text.trim().split('\n').filter(Boolean);
  const head = lines[0]?.split('\t') ?? [];
  const peers = lines.slice(1).map((l) => {
    const f = l.split('\t');
    const hs = Number(f[4] ?? 0);
    return {
      publicKey: f[0] ?? '',
      endpoint: f[2] && f[2] !== '(none)' ? f[2] : undefined,
      allowedIps: (f[3] ?? '').split(',').filter((x) => x && x !== '(none)'),
      latestHandshake: hs > 0 ? new Date(hs * 1000).toISOString() : undefined,
      handshakeAgeS: hs > 0 ? Math.max(0, Math.round(nowS - hs)) : undefined,
      rxBytes: Number(f[5] ?? 0),
      txBytes: Number(f[6] ?? 0),
    };
  });
  return { listenPort: head[2] ? Number(head[2]) : undefined, peers };
}

export async function overlayStatus(run: Runner, at: OverlayAt): Promise<OverlayStatus> {
  const { netns, iface } = at;
  const res = await run('ip', ['netns', 'exec', netns, 'wg', 'show', iface, 'dump'], { timeoutMs: TIMEOUTS.ipQuery });
  if (res.exitCode !== 0) return { iface, up: false, peers: [], error: res.output.trim().split('\n')[0] };
  return { iface, up: true, ...parseWgDump(res.output) };
}

export interface ApidAnswer {
  ok: boolean;
  target: string;
  hostname?: string;
  tag?: string;
  latencyMs?: number;
  error?: string;
}

/** How apid is dialled: from which network namespace, with which client program, mutual-TLS files and port. */
export interface ApidClient {
  netns: string;
  /** The client program (a Node script taking HOST:PORT, printing one JSON line: ApidAnswer). */
  script: string;
  port: number;
  cert: string;
  key: string;
  ca: string;
}

/** Dial apid on `address` as `client` says and call Version once; bounded. */
export async function apidProbe(
  run: Runner,
  client: ApidClient,
  address: string,
  opts: { timeoutMs?: number } = {},
): Promise<ApidAnswer> {
  const target = address.includes(':') ? `[${address}]:${client.port}` : `${address}:${client.port}`;
  const res = await run('ip', ['netns', 'exec', client.netns, process.execPath, client.script, target], {
    timeoutMs: (opts.timeoutMs ?? TIMEOUTS.apidCall) + TIMEOUTS.apidCall,
    env: {
      APID_CERT: client.cert,
      APID_KEY: client.key,
      APID_CA: client.ca,
      APID_TIMEOUT_MS: String(opts.timeoutMs ?? TIMEOUTS.apidCall),
    },
  });
  const line = res.output
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  try {
    return JSON.parse(line ?? '') as ApidAnswer;
  } catch {
    return { ok: false, target, error: res.output.trim().split('\n')[0] || `exit ${res.exitCode}` };
  }
}
