/**
 * Management-path probes, from the control plane's namespace: the SideroLink overlay as WireGuard reports it
 * (peers, last handshake, transfer counters), and the Talos API answering a Version call (answer and latency).
 */
import { join } from 'node:path';
import type { Runner } from '../exec/runner.ts';
import { repoRoot } from '../paths.ts';
import { MGMT, wgIface } from '../providers/embedded/address-plan.ts';
import type { LabState } from '../providers/embedded/state.ts';

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

export async function overlayStatus(run: Runner, state: LabState, role = 'cp'): Promise<OverlayStatus> {
  const ns = state.hosts[role]?.netns ?? '';
  const iface = wgIface(state.id, role === 'machine' ? 'machine' : 'cp');
  const res = await run('ip', ['netns', 'exec', ns, 'wg', 'show', iface, 'dump'], { timeoutMs: 5000 });
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

/** Dial apid on `address` from a lab host (default: the control plane) and call Version once; bounded. */
export async function apidProbe(
  run: Runner,
  state: LabState,
  address: string,
  opts: { from?: string; timeoutMs?: number } = {},
): Promise<ApidAnswer> {
  const ns = state.hosts[opts.from ?? 'cp']?.netns ?? '';
  const pki = join(state.dir, 'pki');
  const target = address.includes(':') ? `[${address}]:${MGMT.apidPort}` : `${address}:${MGMT.apidPort}`;
  const res = await run(
    'ip',
    ['netns', 'exec', ns, process.execPath, join(repoRoot(), 'harness', 'mgmt', 'apid-client.mjs'), target],
    {
      timeoutMs: (opts.timeoutMs ?? 3000) + 3000,
      env: {
        APID_CERT: join(pki, 'talosctl.crt'),
        APID_KEY: join(pki, 'talosctl.key'),
        APID_CA: join(pki, 'ca.crt'),
        APID_TIMEOUT_MS: String(opts.timeoutMs ?? 3000),
      },
    },
  );
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
