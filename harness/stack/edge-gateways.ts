/**
 * The edge's Gateways as the layouts use them (layout.ts): the listeners of an app put on the Gateway each one is
 * placed on (the one Gateway, or a shard of the sharded layout, created when it does not exist yet), dropped from
 * whichever shard holds them (a shard other than the first is deleted once it has none: a Gateway needs one), and
 * the Gateway's `allowedListeners` for the listenerset layout.
 */
import { CustomObjectsApi, type KubernetesObject, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { apiStatus, type Clients } from '../k8s/client.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME } from './edge-objects.ts';
import { DEFAULT_LAYOUT, type Layout } from './layout.ts';
import { type GatewayListener, type Rendered, render } from './render.ts';
import type { Routing } from './routing.ts';
import { placeListeners, type Shard, shardIndex } from './shards.ts';
import type { AppFixture } from './app-fixture.ts';

export type GatewayObject = KubernetesObject & {
  metadata: { name: string; namespace: string; annotations?: Record<string, string>; generation?: number };
  spec: {
    gatewayClassName: string;
    listeners: (GatewayListener | { name: string })[];
    allowedListeners?: { namespaces: { from: string } };
  };
};
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const gatewayRefOf = (name: string) => ({
  apiVersion: GATEWAY_API,
  kind: 'Gateway',
  metadata: { name, namespace: EDGE_NAMESPACE },
});
/** The label a shard made by a deploy carries (the first shard is the edge's own Gateway). */
export const SHARD_LABEL = 'satusky.com/edge-shard';

/** The edge's Gateway shards and their listeners now (`satusky-edge`, `satusky-edge-N`). */
export async function readShards(k: Clients): Promise<Shard[]> {
  const list = await k.objects.list(GATEWAY_API, 'Gateway', EDGE_NAMESPACE);
  return (list.items as GatewayObject[])
    .filter((g) => shardIndex(g.metadata.name) !== undefined)
    .map((g) => ({ name: g.metadata.name, listeners: (g.spec.listeners ?? []).map((l) => l.name) }));
}

/**
 * The app rendered for the layout: in `sharded`, each listener on the shard it is on already, or where stable
 * placement puts a new one (shards.ts).
 */
export async function renderOnEdge(k: Clients, a: AppFixture, routing: Routing, layout: Layout = DEFAULT_LAYOUT) {
  if (layout !== 'sharded') return render(a, routing, { layout });
  const names = render(a, routing).listeners.map((l) => l.name);
  const placed = placeListeners(await readShards(k), names);
  return render(a, routing, { layout, gatewayOf: (l) => placed.gatewayOf.get(l) ?? GATEWAY_NAME });
}

/**
 * Change one Gateway's listeners: drop those named in `drop`, add (or replace) `add`. `dryRun` asks the API whether
 * it would accept the change (a server-side dry run), changing nothing. A Gateway left without listeners is deleted
 * (never the first one, which keeps its HTTP listener).
 *
 * The listeners are written by a JSON patch guarded by the Gateway's generation (`test /metadata/generation`), not
 * by a replace at the read resourceVersion: the edge rewrites the Gateway's status on every reload (Traefik, about
 * once a second while a run deploys), and each status write made a replace a 409; seven immediate retries all lost
 * (`skyprobe run --routing both --renderer ...`, 2026-12-02: CD-04 [current] and TLS-03 [target] refused). The
 * generation moves only when the spec does, so what still conflicts is another writer of the spec: re-read, redo.
 */
export async function editGateway(
  k: Clients,
  gateway: string,
  drop: Set<string>,
  add: GatewayListener[],
  o: { dryRun?: boolean } = {},
): Promise<void> {
  const custom = k.kc.makeApiClient(CustomObjectsApi);
  for (let attempt = 0; ; attempt++) {
    const gw = (await k.objects.read(gatewayRefOf(gateway))) as GatewayObject;
    const names = new Set(add.map((l) => l.name));
    const before = gw.spec.listeners;
    const listeners = [...before.filter((l) => !drop.has(l.name) && !names.has(l.name)), ...add];
    if (add.length === 0 && listeners.length === before.length) return;
    try {
      if (listeners.length === 0 && gateway !== GATEWAY_NAME)
        await k.objects.delete(gw, undefined, o.dryRun ? 'All' : undefined);
      else
        await custom.patchNamespacedCustomObject(
          {
            group: 'gateway.networking.k8s.io',
            version: 'v1',
            namespace: EDGE_NAMESPACE,
            plural: 'gateways',
            name: gateway,
            body: [
              { op: 'test', path: '/metadata/generation', value: gw.metadata.generation },
              { op: 'replace', path: '/spec/listeners', value: listeners },
            ],
            dryRun: o.dryRun ? 'All' : undefined,
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        );
      return;
    } catch (err) {
      // The spec changed since the read (the test failed, or a delete raced with a write): read again and redo.
      if (attempt > 5 || !(await specMoved(k, gateway, gw.metadata.generation))) throw err;
    }
  }
}

/** Whether the Gateway's spec is no longer at `generation` (gone counts as moved only for a 409 of the delete). */
async function specMoved(k: Clients, gateway: string, generation: number | undefined): Promise<boolean> {
  const now = (await k.objects.read(gatewayRefOf(gateway)).catch(() => undefined)) as GatewayObject | undefined;
  return now !== undefined && now.metadata.generation !== generation;
}

/** A new shard: the first Gateway's class and annotations (cert-manager's issuer, temporary certificates). */
async function shardObject(k: Clients, name: string, listeners: GatewayListener[]): Promise<GatewayObject> {
  const first = (await k.objects.read(gatewayRefOf(GATEWAY_NAME))) as GatewayObject;
  return {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: {
      name,
      namespace: EDGE_NAMESPACE,
      labels: { [SHARD_LABEL]: 'true' },
      annotations: first.metadata.annotations ?? {},
    } as GatewayObject['metadata'],
    spec: { gatewayClassName: first.spec.gatewayClassName, listeners },
  };
}

/** The listeners of `rendered` by the Gateway they go on. */
function byGateway(rendered: Rendered): Map<string, GatewayListener[]> {
  const out = new Map<string, GatewayListener[]>();
  for (const l of rendered.listeners) {
    const gw = rendered.gatewayOf[l.name] ?? GATEWAY_NAME;
    out.set(gw, [...(out.get(gw) ?? []), l]);
  }
  return out;
}

/**
 * Put the app's listeners on their Gateways, creating the shards that do not exist; with `dryRun` the API is only
 * asked. Gives the Gateways it created. An error names the Gateway (`gateway` on the error).
 */
export async function addListeners(k: Clients, rendered: Rendered, o: { dryRun?: boolean } = {}): Promise<string[]> {
  const created: string[] = [];
  for (const [gateway, add] of byGateway(rendered)) {
    try {
      const exists = await k.objects.read(gatewayRefOf(gateway)).then(
        () => true,
        (err: unknown) => {
          if (apiStatus(err) === 404 && gateway !== GATEWAY_NAME) return false;
          throw err;
        },
      );
      if (exists) await editGateway(k, gateway, new Set(), add, o);
      else {
        await k.objects.create(await shardObject(k, gateway, add), undefined, o.dryRun ? 'All' : undefined);
        if (!o.dryRun) created.push(gateway);
      }
    } catch (err) {
      throw Object.assign(err as Error, { gateway });
    }
  }
  return created;
}

/** Drop listeners by name from whichever shard holds them. */
export async function dropListeners(k: Clients, names: Set<string>): Promise<void> {
  if (names.size === 0) return;
  for (const s of await readShards(k))
    if (s.listeners.some((l) => names.has(l))) await editGateway(k, s.name, names, []);
}

/** The names of the listeners on every shard now. */
export async function allListenerNames(k: Clients): Promise<Set<string>> {
  return new Set((await readShards(k)).flatMap((s) => s.listeners));
}

/** listenerset: the first Gateway lets ListenerSets of every namespace attach (dryRun: only asked). */
export async function allowListenerSets(k: Clients, o: { dryRun?: boolean } = {}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const gw = (await k.objects.read(gatewayRefOf(GATEWAY_NAME))) as GatewayObject;
    if (gw.spec.allowedListeners?.namespaces?.from === 'All') return;
    gw.spec.allowedListeners = { namespaces: { from: 'All' } };
    try {
      await k.objects.replace(gw, undefined, o.dryRun ? 'All' : undefined);
      return;
    } catch (err) {
      if (apiStatus(err) !== 409 || attempt > 5) throw err;
    }
  }
}

/**
 * Server-side apply a field manager's listeners into the edge's Gateways: `wanted` is every listener the manager
 * wants, by Gateway. Each Gateway gets exactly the manager's listeners for it (those it owned and no longer wants
 * are released, and go, unless another manager also set them); a shard that does not exist is created (the first
 * Gateway's class and annotations), and one other than the first that would be left without listeners is
 * deleted. Other writers' listeners are not touched (deploy's, which edits by JSON patch, keeps them as they are).
 * An error names the Gateway (`gateway` on the error).
 */
export async function applyManagedListeners(
  k: Clients,
  manager: string,
  wanted: Map<string, GatewayListener[]>,
  owned: (gw: GatewayObject) => Set<string>,
  covers: (have: unknown, want: unknown) => boolean,
): Promise<void> {
  const list = (await k.objects.list(GATEWAY_API, 'Gateway', EDGE_NAMESPACE)).items as GatewayObject[];
  const shards = new Map(
    list.filter((g) => shardIndex(g.metadata.name) !== undefined).map((g) => [g.metadata.name, g]),
  );
  const apply = (body: KubernetesObject) =>
    k.objects.patch(body, undefined, undefined, manager, true, PatchStrategy.ServerSideApply);
  for (const name of new Set([...shards.keys(), ...wanted.keys()])) {
    const want = wanted.get(name) ?? [];
    const gw = shards.get(name);
    try {
      if (!gw) {
        if (want.length > 0) await apply(await shardObject(k, name, want));
        continue;
      }
      const mine = owned(gw);
      const have = gw.spec.listeners ?? [];
      const same =
        mine.size === want.length &&
        want.every(
          (l) =>
            mine.has(l.name) &&
            covers(
              have.find((h) => h.name === l.name),
              l,
            ),
        );
      if (same) continue;
      const others = have.filter((h) => !mine.has(h.name) && !want.some((l) => l.name === h.name));
      if (want.length === 0 && others.length === 0 && name !== GATEWAY_NAME) await k.objects.delete(gw);
      else
        await apply({
          apiVersion: GATEWAY_API,
          kind: 'Gateway',
          metadata: { name, namespace: EDGE_NAMESPACE },
          ...(want.length > 0 ? { spec: { listeners: want } } : {}),
        } as KubernetesObject);
    } catch (err) {
      throw Object.assign(err as Error, { gateway: name });
    }
  }
}
