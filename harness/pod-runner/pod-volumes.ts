/**
 * A pod's volumes on the machine side: each under `<lab>/pods/<uid>/volumes/<name>`, API-backed ones written
 * kubelet-style (atomic-writer.ts) and kept in step with their ConfigMaps and Secrets by a bounded periodic resync
 * (RESYNC_MS); service account tokens from the TokenRequest API, renewed at 80% of their life; emptyDir a folder,
 * or a tmpfs for medium Memory. Each container's mounts (mount-ns.ts) bind these folders.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Runner } from '../exec/runner.ts';
import { runChecked } from '../exec/checked.ts';
import type { Clients } from '../k8s/client.ts';
import { writePayload } from './atomic-writer.ts';
import type { MountSpec } from './mount-ns.ts';
import { podDir } from './mount-ns.ts';
import { type KeyData, volumePayload, volumeRefs } from './volume-payload.ts';

/** How often ConfigMap/Secret-backed volumes are re-read (the kubelet's sync period, shortened for a lab). */
export const RESYNC_MS = 2000;

const status = (err: unknown) => (err as { code?: number }).code;

interface Token {
  value: string;
  renewAt: number;
}

export class PodVolumes {
  readonly dir: string;
  private readonly tokens = new Map<string, Token>();
  private readonly tmpfs: string[] = [];

  constructor(
    private readonly pod: V1Pod,
    labDir: string,
    private readonly k: Clients,
    private readonly run: Runner,
    private readonly labId: string,
  ) {
    this.dir = podDir(labDir, pod.metadata?.uid ?? '');
  }

  private volDir(name: string): string {
    return join(this.dir, 'volumes', name);
  }

  private get ns(): string {
    return this.pod.metadata?.namespace ?? 'default';
  }

  private async read(kind: 'configMap' | 'secret', name: string): Promise<KeyData> {
    try {
      if (kind === 'configMap') {
        const cm = await this.k.core.readNamespacedConfigMap({ name, namespace: this.ns });
        const m = new Map<string, Buffer>();
        for (const [key, v] of Object.entries(cm.data ?? {})) m.set(key, Buffer.from(v));
        for (const [key, v] of Object.entries(cm.binaryData ?? {})) m.set(key, Buffer.from(v, 'base64'));
        return m;
      }
      const s = await this.k.core.readNamespacedSecret({ name, namespace: this.ns });
      return new Map(Object.entries(s.data ?? {}).map(([key, v]) => [key, Buffer.from(v, 'base64')]));
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw err;
    }
  }

  private async token(audience: string | undefined, expirationSeconds: number): Promise<string> {
    const key = `${audience ?? ''}/${expirationSeconds}`;
    const have = this.tokens.get(key);
    if (have && Date.now() < have.renewAt) return have.value;
    const m = this.pod.metadata ?? {};
    const res = await this.k.core.createNamespacedServiceAccountToken({
      name: this.pod.spec?.serviceAccountName || 'default',
      namespace: this.ns,
      body: {
        spec: {
          audiences: audience ? [audience] : [],
          expirationSeconds,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: m.name, uid: m.uid },
        },
      },
    });
    const value = res.status?.token ?? '';
    this.tokens.set(key, { value, renewAt: Date.now() + expirationSeconds * 800 });
    return value;
  }

  /** Write (or refresh) every API-backed volume; returns the names whose files changed. Throws naming the volume. */
  async sync(): Promise<string[]> {
    const refs = volumeRefs(this.pod);
    const cms = new Map<string, KeyData>();
    const secrets = new Map<string, KeyData>();
    for (const n of refs.configMaps) cms.set(n, await this.read('configMap', n));
    for (const n of refs.secrets) secrets.set(n, await this.read('secret', n));
    const tokens = new Map<string, string>();
    for (const t of refs.tokens)
      tokens.set(`${t.audience ?? ''}/${t.expirationSeconds}`, await this.token(t.audience, t.expirationSeconds));
    const src = {
      configMap: (n: string) => cms.get(n),
      secret: (n: string) => secrets.get(n),
      token: (a: string | undefined, e: number) => tokens.get(`${a ?? ''}/${e}`) ?? '',
    };
    const changed: string[] = [];
    for (const v of this.pod.spec?.volumes ?? []) {
      const payload = volumePayload(this.pod, v, src);
      if (payload && writePayload(this.volDir(v.name), payload)) changed.push(v.name);
    }
    return changed;
  }

  /** The emptyDir folders (tmpfs for medium Memory), once before the containers start. */
  async emptyDirs(): Promise<void> {
    for (const v of this.pod.spec?.volumes ?? []) {
      if (!v.emptyDir) continue;
      const dir = this.volDir(v.name);
      mkdirSync(dir, { recursive: true, mode: 0o777 });
      if (v.emptyDir.medium === 'Memory') {
        const size = v.emptyDir.sizeLimit ? [`size=${v.emptyDir.sizeLimit}`.replace(/i$/, '')] : [];
        await runChecked(
          this.run,
          ['mount', '-t', 'tmpfs', '-o', ['mode=0777', ...size].join(','), `skyprobe-${this.labId}`, dir],
          { what: `mount the memory emptyDir ${v.name}` },
        );
        this.tmpfs.push(dir);
      }
    }
  }

  /** A container's mounts: each volumeMount bound from its volume's folder (API volumes read-only). */
  mountsFor(c: V1Container): MountSpec[] {
    return (c.volumeMounts ?? []).map((m) => {
      const v = (this.pod.spec?.volumes ?? []).find((x) => x.name === m.name);
      if (!v) throw new Error(`container ${c.name}: volumeMount ${m.name} names no volume of the pod`);
      return {
        source: m.subPath ? join(this.volDir(v.name), m.subPath) : this.volDir(v.name),
        target: m.mountPath,
        readOnly: Boolean(m.readOnly) || !v.emptyDir,
      };
    });
  }

  /** Remove what the pod's volumes hold on the machine (after its containers' namespaces are gone). */
  async remove(): Promise<void> {
    for (const d of this.tmpfs) await this.run('umount', ['-l', d]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
