/**
 * Names of their own for each scenario run, so that any set of runs can share one cluster without seeing each
 * other: an app fixture becomes an instance whose org (so its namespace and generated host) and every user host
 * carry a short tag. The tag goes into the registrable domain of a user host (shop.example.com ->
 * shop.example-dp01c.com), so each instance also has user DNS zones of its own. Object names inside the org's
 * namespace stay the renderer's (`shop-domains`): the namespace is the instance's already. Pure.
 */
import { type AppFixture, FixtureError, isHostname } from './app-fixture.ts';
import { listenerName, orgNamespace } from './render.ts';
import type { Routing } from './routing.ts';

/** An app fixture with its instance's names, and the renderer's names where a body or a twin needs them. */
export interface InstanceApp extends AppFixture {
  /** The instance's tag (`dp01c`); empty for the fixture's own names. */
  tag: string;
  /** The fixture's own org (`acme`), for reports. */
  fixtureOrg: string;
  /** The org's namespace (`org-acme-dp01c`). */
  namespace: string;
  /** The name of one of the renderer's objects of this app (`domains` -> `shop-domains`), in `namespace`. */
  objectName(part: string): string;
  /** The Gateway listener of one of the app's HTTPS hosts. */
  listener(host: string): string;
}

/** The tag of one scenario run: its id without the dash and the routing mode's initial (DP-01 current -> dp01c). */
export function instanceTag(id: string, routing: Routing): string {
  return `${id.toLowerCase().replace(/-/g, '')}${routing[0]}`;
}

/** The user's zone a host is in (its registrable domain: the last two labels). */
export function userZone(host: string): string {
  return host.split('.').slice(-2).join('.');
}

/** A user host under the instance's names: the tag joins the registrable domain's name (shop.example-dp01c.com). */
export function instanceHost(host: string, tag: string): string {
  if (!tag) return host;
  const labels = host.split('.');
  const i = labels.length - 2;
  labels[i] = `${labels[i]}-${tag}`;
  return labels.join('.');
}

/** The app under the instance's names (tag '' keeps the fixture's). Throws when a name would be no valid host. */
export function instanceApp(a: AppFixture, tag: string, file = `app ${a.org}/${a.app}`): InstanceApp {
  const org = tag ? `${a.org}-${tag}` : a.org;
  const generatedHost = `${a.app}-${org}.satusky.com`;
  const named = {
    ...a,
    org,
    generatedHost,
    customDomains: a.customDomains.map((h) => instanceHost(h, tag)),
    aliases: a.aliases.map((h) => instanceHost(h, tag)),
  };
  for (const h of [generatedHost, ...named.customDomains, ...named.aliases])
    if (!isHostname(h) || org.length > 63)
      throw new FixtureError(file, 'org', `with the instance tag ${tag}, "${h}" is not a valid hostname`);
  return {
    ...named,
    tag,
    fixtureOrg: a.org,
    namespace: orgNamespace(org),
    objectName: (part) => `${a.app}-${part}`,
    listener: (host) => listenerName(host),
  };
}
