/** Apply Kubernetes objects (create, or replace what exists) from YAML text or object lists. */
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { StopWaiting, waitUntil } from '../converge.ts';
import { SkyprobeError } from '../errors.ts';
import { POLL, TIMEOUTS } from '../timeouts.ts';
import { apiStatus } from './client.ts';

export function parseObjects(yamlText: string): KubernetesObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null && typeof o === 'object');
}

/** A namespace's default ServiceAccount appears a moment after the namespace: pods wait for it (bounded). */
async function createWhenAdmitted(api: KubernetesObjectApi, o: KubernetesObject): Promise<KubernetesObject> {
  return waitUntil(
    `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name} admitted (its namespace's default ServiceAccount)`,
    async () => {
      try {
        return await api.create(o);
      } catch (err) {
        const waitingForSa =
          apiStatus(err) === 403 && /error looking up service account/.test(String((err as Error).message));
        if (!waitingForSa) throw new StopWaiting(err);
        throw err;
      }
    },
    { timeoutMs: TIMEOUTS.serviceAccount, intervalMs: POLL.local },
  );
}

export async function applyObjects(api: KubernetesObjectApi, objects: KubernetesObject[]): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  for (const o of objects) {
    try {
      out.push(await createWhenAdmitted(api, o));
    } catch (err) {
      if (apiStatus(err) !== 409) throw applyError(o, err);
      out.push(await replaceLatest(api, o));
    }
  }
  return out;
}

/** Replace with the latest resourceVersion; controllers write status concurrently, so a conflict is retried. */
async function replaceLatest(api: KubernetesObjectApi, o: KubernetesObject): Promise<KubernetesObject> {
  for (let attempt = 0; ; attempt++) {
    const current = await api.read(o as KubernetesObject & { metadata: { name: string; namespace?: string } });
    try {
      return await api.replace({
        ...o,
        metadata: { ...o.metadata, resourceVersion: current.metadata?.resourceVersion },
      });
    } catch (err) {
      if (apiStatus(err) !== 409 || attempt >= 5) throw applyError(o, err);
    }
  }
}

/** The API's own message for a failed request (client-node puts the Status body in the error text). */
export function apiMessage(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  const body = /Body: "(.*)"\nHeaders/s.exec(text)?.[1];
  if (body) {
    try {
      return (JSON.parse(JSON.parse(`"${body}"`)) as { message?: string }).message ?? text;
    } catch {
      // not JSON
    }
  }
  return text.split('\n')[0] ?? text;
}

function applyError(o: KubernetesObject, err: unknown): SkyprobeError {
  const where = `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
  return new SkyprobeError(`failed to apply ${where}: ${apiMessage(err)}`, { cause: err });
}

export async function deleteObjects(api: KubernetesObjectApi, objects: KubernetesObject[]): Promise<void> {
  for (const o of [...objects].reverse()) {
    await api.delete(o).catch((err: unknown) => {
      if (apiStatus(err) !== 404) throw err;
    });
  }
}
