/**
 * Readiness probes as the kubelet runs them: httpGet and tcpSocket against the pod IP (the runner reaches every
 * pod through the lab's routes, as a kubelet reaches its pods from the node), exec inside the container's mount and network namespaces.
 */
import { connect } from 'node:net';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { request } from 'undici';
import type { Runner } from '../exec/runner.ts';

export interface ProbeOutcome {
  ok: boolean;
  detail: string;
}

function resolvePort(port: number | string | undefined, container: V1Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(
  probe: V1Probe,
  container: V1Container,
  podIp: string,
  /** The argv prefix that runs a command inside the container (its mount and network namespaces). */
  inContainer: string[],
  run: Runner,
): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port as number | string, container);
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${probe.httpGet.host ?? podIp}:${port}${probe.httpGet.path ?? '/'}`;
    try {
      const res = await request(url, {
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value])),
      });
      await res.body.dump();
      return { ok: res.statusCode >= 200 && res.statusCode < 400, detail: `GET ${url}: ${res.statusCode}` };
    } catch (err) {
      return { ok: false, detail: `GET ${url}: ${(err as Error).message}` };
    }
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port as number | string, container) ?? 0;
    return new Promise((resolve) => {
      const s = connect({ host: probe.tcpSocket?.host ?? podIp, port, timeout: timeoutMs });
      s.once('connect', () => (s.destroy(), resolve({ ok: true, detail: `tcp ${podIp}:${port} open` })));
      s.once('timeout', () => (s.destroy(), resolve({ ok: false, detail: `tcp ${podIp}:${port} timed out` })));
      s.once('error', (e) => resolve({ ok: false, detail: `tcp ${podIp}:${port}: ${e.message}` }));
    });
  }
  if (probe.exec?.command?.length) {
    const [file, ...args] = [...inContainer, ...probe.exec.command] as [string, ...string[]];
    const res = await run(file, args, { timeoutMs });
    return { ok: res.exitCode === 0, detail: `exec ${probe.exec.command.join(' ')}: exit ${res.exitCode}` };
  }
  return { ok: true, detail: 'no handler' };
}
