/**
 * What the kubelet writes into a volume backed by the API (configMap, secret, downwardAPI, projected), as a
 * Payload of files with modes, built from objects already read. Pure: the pod worker reads the objects (and asks
 * for tokens) and hands them in; errors name the volume and what is missing, as the kubelet's FailedMount does.
 */
import type { V1KeyToPath, V1Pod, V1Volume, V1VolumeProjection } from '@kubernetes/client-node';
import type { Payload } from './atomic-writer.ts';

/** The volume types the pod runner gives; any other makes the pod fail, naming the type. */
export const SUPPORTED_VOLUME_TYPES = ['configMap', 'secret', 'emptyDir', 'downwardAPI', 'projected'] as const;
const SUPPORTED_PROJECTIONS = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken'];

export const DEFAULT_MODE = 0o644;

/** Keys of an object's data, as bytes; undefined when the object does not exist. */
export type KeyData = Map<string, Buffer> | undefined;

export interface VolumeSources {
  configMap: (name: string) => KeyData;
  secret: (name: string) => KeyData;
  /** A token for the pod's service account (already requested by the caller for this audience and expiry). */
  token: (audience: string | undefined, expirationSeconds: number) => string;
}

/** The volume's type name (the one field besides `name`). */
export function volumeType(v: V1Volume): string {
  return (
    Object.keys(v).find((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] !== undefined) ?? 'unknown'
  );
}

/** Why this pod's volumes cannot be given, or undefined when they can. */
export function unsupportedVolumes(pod: V1Pod): string | undefined {
  const bad: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const type = volumeType(v);
    if (!(SUPPORTED_VOLUME_TYPES as readonly string[]).includes(type)) bad.push(`volume ${v.name}: type ${type}`);
    for (const [i, s] of (v.projected?.sources ?? []).entries()) {
      const t = Object.keys(s).find((k) => (s as unknown as Record<string, unknown>)[k] !== undefined) ?? 'unknown';
      if (!SUPPORTED_PROJECTIONS.includes(t)) bad.push(`volume ${v.name}: projected source ${i} type ${t}`);
    }
    for (const item of [
      ...(v.downwardAPI?.items ?? []),
      ...(v.projected?.sources ?? []).flatMap((s) => s.downwardAPI?.items ?? []),
    ])
      if (!item.fieldRef) bad.push(`volume ${v.name}: downwardAPI item ${item.path} (only fieldRef)`);
  }
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
    for (const m of c.volumeMounts ?? [])
      if (m.subPathExpr) bad.push(`container ${c.name}: subPathExpr on ${m.mountPath}`);
  if (bad.length === 0) return undefined;
  return `not supported by skyprobe's pod runner (supported: ${SUPPORTED_VOLUME_TYPES.join(', ')}): ${bad.join('; ')}`;
}

function keys(
  what: string,
  data: KeyData,
  items: V1KeyToPath[] | undefined,
  mode: number,
  optional: boolean | undefined,
  out: Payload,
): void {
  if (!data) {
    if (optional) return;
    throw new Error(`${what} not found`);
  }
  if (!items || items.length === 0) {
    for (const [k, content] of data) out.set(k, { content, mode });
    return;
  }
  for (const it of items) {
    const content = data.get(it.key);
    if (!content) {
      if (optional) continue;
      throw new Error(`${what} has no key ${it.key}`);
    }
    out.set(it.path, { content, mode: it.mode ?? mode });
  }
}

function fieldValue(pod: V1Pod, path: string): string {
  const m = pod.metadata ?? {};
  const map = (o: Record<string, string> | undefined) =>
    Object.keys(o ?? {})
      .sort()
      .map((k) => `${k}=${JSON.stringify((o ?? {})[k])}`)
      .join('\n');
  const one = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (one) return (one[1] === 'labels' ? m.labels : m.annotations)?.[one[2] as string] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return map(m.labels);
    case 'metadata.annotations':
      return map(m.annotations);
    default:
      throw new Error(
        `downwardAPI fieldRef ${path} is not supported (metadata.name, namespace, uid, labels, annotations)`,
      );
  }
}

function projection(pod: V1Pod, s: V1VolumeProjection, mode: number, src: VolumeSources, out: Payload): void {
  if (s.configMap)
    keys(
      `configMap ${s.configMap.name}`,
      src.configMap(s.configMap.name ?? ''),
      s.configMap.items,
      mode,
      s.configMap.optional,
      out,
    );
  if (s.secret)
    keys(`secret ${s.secret.name}`, src.secret(s.secret.name ?? ''), s.secret.items, mode, s.secret.optional, out);
  for (const it of s.downwardAPI?.items ?? [])
    out.set(it.path, { content: Buffer.from(fieldValue(pod, it.fieldRef?.fieldPath ?? '')), mode: it.mode ?? mode });
  if (s.serviceAccountToken) {
    const t = s.serviceAccountToken;
    out.set(t.path, { content: Buffer.from(src.token(t.audience || undefined, t.expirationSeconds ?? 3600)), mode });
  }
}

/** The files of an API-backed volume; undefined for emptyDir (no files). Throws naming what is missing. */
export function volumePayload(pod: V1Pod, v: V1Volume, src: VolumeSources): Payload | undefined {
  const out: Payload = new Map();
  try {
    if (v.configMap) {
      const c = v.configMap;
      keys(`configMap ${c.name}`, src.configMap(c.name ?? ''), c.items, c.defaultMode ?? DEFAULT_MODE, c.optional, out);
    } else if (v.secret) {
      const s = v.secret;
      keys(
        `secret ${s.secretName}`,
        src.secret(s.secretName ?? ''),
        s.items,
        s.defaultMode ?? DEFAULT_MODE,
        s.optional,
        out,
      );
    } else if (v.downwardAPI) {
      const mode = v.downwardAPI.defaultMode ?? DEFAULT_MODE;
      projection(pod, { downwardAPI: { items: v.downwardAPI.items } }, mode, src, out);
    } else if (v.projected) {
      for (const s of v.projected.sources ?? []) projection(pod, s, v.projected.defaultMode ?? DEFAULT_MODE, src, out);
    } else return undefined;
  } catch (err) {
    throw new Error(`volume ${v.name}: ${(err as Error).message}`);
  }
  return out;
}

/** Every configMap, secret and token a pod's volumes read. */
export function volumeRefs(pod: V1Pod): {
  configMaps: Set<string>;
  secrets: Set<string>;
  tokens: { audience?: string; expirationSeconds: number }[];
} {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const tokens: { audience?: string; expirationSeconds: number }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
      if (s.serviceAccountToken)
        tokens.push({
          audience: s.serviceAccountToken.audience || undefined,
          expirationSeconds: s.serviceAccountToken.expirationSeconds ?? 3600,
        });
    }
  }
  return { configMaps, secrets, tokens };
}
