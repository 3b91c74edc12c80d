/**
 * The two routing modes an app can be deployed in (DESIGN.md "Apps as Satusky creates them"): `current` (Ingress
 * for custom domains, aliases and www) and `target` (Gateway API only). render.ts renders either.
 */
export type Routing = 'current' | 'target';
export const ROUTINGS: Routing[] = ['current', 'target'];
