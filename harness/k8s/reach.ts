/**
 * Checking a kubeconfig before using it: the file exists and names a cluster, and the API answers within a bound
 * (TIMEOUTS.apiReachable).
 * Each problem is one line naming the file and the fix (exit 2), never a client library's stack.
 */
import { existsSync } from 'node:fs';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { bounded } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { apiStatus } from './client.ts';

/** The API server a kubeconfig points at (its current context). */
export function kubeconfigServer(file: string): string {
  if (!existsSync(file)) throw new SkyprobeError(`kubeconfig ${file} does not exist`, { hint: 'check --kubeconfig' });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error('no current cluster');
    return server;
  } catch (err) {
    throw new SkyprobeError(`kubeconfig ${file} is not usable: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'check --kubeconfig (kubectl --kubeconfig FILE config view)',
    });
  }
}

export async function mustReachApi(file: string, server = kubeconfigServer(file)): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  try {
    await bounded(`the Kubernetes API at ${server}`, kc.makeApiClient(VersionApi).getCode(), TIMEOUTS.apiReachable);
  } catch (err) {
    const status = apiStatus(err);
    const why =
      typeof status === 'number'
        ? `HTTP ${status}`
        : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message.split('\n')[0]);
    throw new SkyprobeError(`cannot reach the Kubernetes API at ${server} (from ${file}): ${why}`, {
      hint: 'check --kubeconfig: the server address, the credentials, and that the cluster is up',
    });
  }
}
