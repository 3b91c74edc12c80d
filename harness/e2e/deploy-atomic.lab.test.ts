/**
 * A deploy the API refuses leaves nothing of the app behind, on a real lab: refused before anything is applied
 * (the shared Gateway past Gateway API's 64 listeners, found by a server-side dry run), and refused half-way
 * (an HTTPRoute with more hostnames than the API allows, in a namespace the deploy had just created): the error
 * names the object and the API's reason, exit code 1, and the app's namespace, objects, listeners and metadata
 * are as before the deploy.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SkyprobeError } from '../errors.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { deployTarget } from '../providers/embedded/stack.ts';
import { liveLab } from '../providers/embedded/lab.ts';
import { parseAppFixture } from '../stack/app-fixture.ts';
import { type DeployTarget, deployApp, gatewayRef, metadataFile } from '../stack/deploy.ts';
import { labForFile } from './lab-for-file.ts';

const lab = labForFile();

const fixture = (org: string, domains: number) =>
  parseAppFixture(
    [
      `org: ${org}`,
      'app: many',
      'image: skyprobe/echo:1',
      'replicas: 1',
      `customDomains: [${Array.from({ length: domains }, (_, i) => `d${i}.${org}.example`).join(', ')}]`,
    ].join('\n'),
    `${org}.yaml`,
  );

async function listeners(k: Clients): Promise<string[]> {
  const gw = (await k.objects.read(gatewayRef)) as unknown as { spec: { listeners: { name: string }[] } };
  return gw.spec.listeners.map((l) => l.name).sort();
}

async function refusal(t: DeployTarget, app: ReturnType<typeof fixture>, routing: 'current' | 'target') {
  return deployApp(t, app, routing).then(
    () => undefined,
    (err: unknown) => err,
  );
}

async function namespaceGone(k: Clients, name: string): Promise<boolean> {
  const ns = await k.core.readNamespace({ name }).catch(() => undefined);
  // A namespace being deleted is Terminating; its objects go with it.
  return !ns || ns.status?.phase === 'Terminating';
}

describe('deploy is atomic for an app', () => {
  it('past 64 listeners on the shared Gateway: refused before anything is applied', async () => {
    lab.get();
    const state = liveLab();
    if (!state) throw new Error('no lab');
    const k = clientsFor(state.kubeconfig);
    const t = deployTarget(state, k);
    const before = await listeners(k);
    // Target routing: every custom domain gets its own HTTPS listener on the shared Gateway (current routing would
    // give them Ingress TLS instead).
    const app = fixture('wall', 70);
    const err = await refusal(t, app, 'target');
    expect(err).toBeInstanceOf(SkyprobeError);
    expect((err as SkyprobeError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(
      /^app wall\/many: the API refused the listeners of Gateway satusky-edge\/satusky-edge: .*spec\.listeners: Too many: \d+: must have at most 64 items.*; nothing was applied$/,
    );
    expect(await listeners(k)).toEqual(before);
    expect(await namespaceGone(k, 'org-wall')).toBe(true);
    expect(existsSync(metadataFile(t.metadataDir, app))).toBe(false);
  });

  it('an object refused half-way: what the deploy had created is removed again, the Gateway as before', async () => {
    const state = liveLab();
    if (!state) throw new Error('no lab');
    const k = clientsFor(state.kubeconfig);
    const t = deployTarget(state, k);
    const before = await listeners(k);
    // 20 custom domains in target routing: one HTTPRoute with 20 hostnames, and Gateway API allows 16. The org's
    // namespace is new, so the dry run cannot check the route before the namespace exists.
    const app = fixture('half', 20);
    const err = await refusal(t, app, 'target');
    expect((err as SkyprobeError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(
      /^app half\/many: the API refused HTTPRoute org-half\/many-domains: .*hostnames: Too many: 20: must have at most 16 items.*; what the deploy had applied was removed again$/,
    );
    expect(await listeners(k)).toEqual(before);
    expect(await namespaceGone(k, 'org-half')).toBe(true);
    const leftover = await k.apps
      .readNamespacedDeployment({ name: 'many', namespace: 'org-half' })
      .catch(() => undefined);
    expect(leftover?.metadata?.deletionTimestamp ?? leftover === undefined).toBeTruthy();
    expect(existsSync(metadataFile(t.metadataDir, app))).toBe(false);
  });
});
