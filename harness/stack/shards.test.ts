import { describe, expect, it } from 'vitest';
import { placeListeners, shardIndex, shardName } from './shards.ts';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('stable placement on Gateway shards', () => {
  it('fills the first shard, then opens the next', () => {
    const p = placeListeners([{ name: 'satusky-edge', listeners: ['http', ...names('a', 60)] }], names('b', 5));
    expect([...p.gatewayOf.values()]).toEqual([
      'satusky-edge',
      'satusky-edge',
      'satusky-edge',
      'satusky-edge-1',
      'satusky-edge-1',
    ]);
    expect(p.created).toEqual(['satusky-edge-1']);
  });

  it('a listener that is on a shard stays there, even when an earlier shard has room', () => {
    const shards = [
      { name: 'satusky-edge-1', listeners: ['x'] },
      { name: 'satusky-edge', listeners: ['http'] },
    ];
    const p = placeListeners(shards, ['x', 'y']);
    expect(p.gatewayOf.get('x')).toBe('satusky-edge-1');
    expect(p.gatewayOf.get('y')).toBe('satusky-edge');
    expect(p.created).toEqual([]);
  });

  it('adding hosts one at a time never moves one already placed', () => {
    let shards = [{ name: 'satusky-edge', listeners: ['http'] }];
    const where = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const l = `h${i}`;
      const p = placeListeners(shards, [l]);
      where.set(l, p.gatewayOf.get(l) as string);
      const home = p.gatewayOf.get(l) as string;
      shards = shards.some((s) => s.name === home)
        ? shards.map((s) => (s.name === home ? { ...s, listeners: [...s.listeners, l] } : s))
        : [...shards, { name: home, listeners: [l] }];
      for (const [name, gw] of where) expect(shards.find((s) => s.listeners.includes(name))?.name).toBe(gw);
    }
    expect(shards.map((s) => s.listeners.length)).toEqual([64, 64, 64, 64, 45]);
  });

  it('fills a gap a deleted shard left before opening a new one; other Gateways are not shards', () => {
    const full = (name: string) => ({ name, listeners: names(name, 64) });
    const p = placeListeners([full('satusky-edge'), full('satusky-edge-2'), full('other')], ['z']);
    expect(p.gatewayOf.get('z')).toBe('satusky-edge-1');
    expect(shardIndex('other')).toBeUndefined();
    expect(shardIndex(shardName(3))).toBe(3);
  });
});
