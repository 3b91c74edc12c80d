/**
 * The CRDs onto the lab's apiserver by server-side apply, as `kubectl apply --server-side --force-conflicts` sends
 * them (one PATCH of type application/apply-patch+yaml each), but all at once from this process: kubectl's own parse
 * of the 2.4 MB of CRD YAML took ~1.2 s of CPU while the apiserver was starting (2026-12-01: kubectl 1.9 s, these
 * PATCHes 0.65 s, for the same 26 CRDs). The objects go as the YAML says them, in JSON: the JS client's typed
 * serializer would drop the schemas' x-kubernetes-* fields.
 */
import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { request } from 'undici';
import { bounded } from '../../converge.ts';
import { SkyprobeError } from '../../errors.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { apiAgent } from './apiserver-health.ts';
import type { Pki } from './pki.ts';

export const FIELD_MANAGER = 'skyprobe';

/**
 * The CustomResourceDefinitions in YAML files. js-yaml, not the yaml package of the rest of the harness: for these
 * 2.4 MB it takes 0.03-0.17 s against 0.4-1.1 s, time in which the process does nothing else, and it gives the same
 * objects (their JSON equal for all 17 files, 2026-12-01).
 */
export function readCrds(files: string[]): KubernetesObject[] {
  return files.flatMap((f) =>
    (loadAll(readFileSync(f, 'utf8')) as (KubernetesObject | null)[]).filter(
      (o): o is KubernetesObject => o !== null && typeof o === 'object' && o.kind === 'CustomResourceDefinition',
    ),
  );
}

export async function applyCrds(pki: Pki, server: string, crds: KubernetesObject[]): Promise<void> {
  const agent = apiAgent(pki);
  try {
    await bounded(
      `the apiserver, applying ${crds.length} CRDs`,
      Promise.all(
        crds.map(async (crd) => {
          const name = crd.metadata?.name ?? '';
          const res = await request(
            `${server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}?fieldManager=${FIELD_MANAGER}&force=true`,
            {
              method: 'PATCH',
              dispatcher: agent,
              headers: { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' },
              body: JSON.stringify(crd),
            },
          );
          const text = await res.body.text();
          if (res.statusCode < 200 || res.statusCode >= 300) {
            let message = text.slice(0, 300);
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? message;
            } catch {
              // not a Status object: its start is the message
            }
            throw new SkyprobeError(`failed to apply the CRD ${name}: HTTP ${res.statusCode} ${message}`, {
              hint: 'the CRD files come from the built components: skyprobe setup --check',
            });
          }
        }),
      ),
      TIMEOUTS.crdsApplied,
    );
  } finally {
    await agent.close();
  }
}
