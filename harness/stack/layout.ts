/**
 * How the platform lays out HTTPS hosts on the edge (issue #15), chosen per run (`--layout`), all rendered by the
 * one renderer (render.ts) and judged by the same scenarios:
 *
 * | layout              | an HTTPS host's listener                                   | breaks at                         |
 * | listener-per-host   | on the one Gateway `satusky-edge` (today's)                 | 64 listeners per Gateway          |
 * | sharded             | on one of several Gateways `satusky-edge`, `satusky-edge-N`, same edge, entry points and LB address, at most 64 each; placed once, never moved (shards.ts) | the edge's own limits |
 * | listenerset         | on a ListenerSet per app attached to `satusky-edge` (`allowedListeners`) | an edge without ListenerSet support (Traefik 3.6) |
 */
export type Layout = 'listener-per-host' | 'sharded' | 'listenerset';
export const LAYOUTS: Layout[] = ['listener-per-host', 'sharded', 'listenerset'];
export const DEFAULT_LAYOUT: Layout = 'listener-per-host';

/** Gateway API: at most 64 listeners per Gateway and per ListenerSet (the CRDs' maxItems). */
export const MAX_LISTENERS = 64;
/** Gateway API: at most 16 hostnames per HTTPRoute (the CRD's maxItems). */
export const MAX_ROUTE_HOSTNAMES = 16;

export const isLayout = (v: string): v is Layout => (LAYOUTS as string[]).includes(v);
