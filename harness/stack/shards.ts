/**
 * Stable placement of HTTPS listeners on the edge's Gateway shards (the `sharded` layout): a listener that is on a
 * shard stays there; a new one goes to the first shard (in shard order) that has room; only when every shard is
 * full is a new shard opened. Placement reads what is there, it never hashes: adding a host never moves another.
 * Pure, and unit-tested (shards.test.ts).
 */
import { GATEWAY_NAME } from './edge-objects.ts';
import { MAX_LISTENERS } from './layout.ts';

/** A Gateway of the edge and the names of its listeners now (the first shard keeps the `http` listener). */
export interface Shard {
  name: string;
  listeners: string[];
}

/** The shards' names: `satusky-edge` (the first, with the HTTP listener), then `satusky-edge-1`, `-2`, ... */
export const shardName = (i: number) => (i === 0 ? GATEWAY_NAME : `${GATEWAY_NAME}-${i}`);
const SHARD = new RegExp(`^${GATEWAY_NAME}(?:-(\\d+))?$`);
/** The index of a shard by its name, or undefined for a Gateway that is not one. */
export function shardIndex(name: string): number | undefined {
  const m = SHARD.exec(name);
  return m ? Number(m[1] ?? 0) : undefined;
}

export interface Placement {
  /** Listener name -> the shard (Gateway name) it is on or goes to. */
  gatewayOf: Map<string, string>;
  /** Shards that do not exist yet and must be created. */
  created: string[];
}

/** Where each of `wanted` goes, given the shards as they are. */
export function placeListeners(shards: Shard[], wanted: string[], max = MAX_LISTENERS): Placement {
  const ordered = [...shards]
    .filter((s) => shardIndex(s.name) !== undefined)
    .sort((a, b) => (shardIndex(a.name) as number) - (shardIndex(b.name) as number));
  const load = new Map(ordered.map((s) => [s.name, s.listeners.length]));
  const gatewayOf = new Map<string, string>();
  for (const s of ordered) for (const l of s.listeners) if (wanted.includes(l)) gatewayOf.set(l, s.name);
  const created: string[] = [];
  for (const l of wanted) {
    if (gatewayOf.has(l)) continue;
    let home = [...load.entries()].find(([, n]) => n < max)?.[0];
    if (!home) {
      let i = 0;
      while (load.has(shardName(i))) i++;
      home = shardName(i);
      load.set(home, 0);
      created.push(home);
    }
    load.set(home, (load.get(home) as number) + 1);
    gatewayOf.set(l, home);
  }
  return { gatewayOf, created };
}
