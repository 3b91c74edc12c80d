/**
 * A generator of app fixtures for scale (issue #15): orgs x apps x custom domains x aliases x www, each app one
 * small backend (one replica of the echo backend), so that the lab's memory grows with the apps, not the hosts.
 * Names are the caller's (`prefix`), so that scenarios running at once never share an org or a host.
 */
import type { AppFixture } from './app-fixture.ts';

export interface FleetShape {
  orgs: number;
  appsPerOrg: number;
  /** Custom domains per app (the first is the apex www redirects to). */
  customDomains: number;
  aliases: number;
  www: boolean;
}

/** Hosts of one app: its generated host, custom domains, aliases and www. */
export const hostsPerApp = (s: Pick<FleetShape, 'customDomains' | 'aliases' | 'www'>) =>
  1 + s.customDomains + s.aliases + (s.www && s.customDomains > 0 ? 1 : 0);

/** One app of a shape, by its names alone (the same app whatever the fleet's size). */
export function fleetApp(org: string, app: string, shape: Omit<FleetShape, 'orgs' | 'appsPerOrg'>): AppFixture {
  return {
    org,
    app,
    image: 'skyprobe/echo:1',
    replicas: 1,
    port: 8080,
    generatedHost: `${app}-${org}.satusky.com`,
    customDomains: Array.from({ length: shape.customDomains }, (_, d) =>
      d === 0 ? `${app}.${org}.example` : `${app}-d${d}.${org}.example`,
    ),
    aliases: Array.from({ length: shape.aliases }, (_, d) => `${app}-alias${d}.${org}.example`),
    wwwRedirect: shape.www && shape.customDomains > 0,
    httpsRedirect: false,
  };
}

/** The app fixtures of a shape: org `<prefix><i>`, app `a<j>`, domains in the org's own zone `<org>.example`. */
export function generateFleet(shape: FleetShape, prefix: string): AppFixture[] {
  const out: AppFixture[] = [];
  for (let i = 0; i < shape.orgs; i++)
    for (let j = 0; j < shape.appsPerOrg; j++) out.push(fleetApp(`${prefix}${i}`, `a${j}`, shape));
  return out;
}

/**
 * Hosts per app of a fleet of `hosts` (SC-01 and the bench alike): 4 (a custom domain, an alias, www) below 64 hosts;
 * 16 (13 custom domains) from 64 on, so that a fleet of hundreds of hosts is tens of apps, each one echo process of
 * ~49 MB RSS (1024 hosts as apps of 4 would be 256 processes, ~12.5 GB, past the lab's 8 GiB by the backends alone).
 */
export const fleetHostsPerApp = (hosts: number) => (hosts >= 64 ? 16 : 4);

/** At most this many apps per org (one namespace and one user zone each). */
export const APPS_PER_ORG = 16;

/**
 * A fleet of about `hosts` hosts (rounded up to whole apps) of apps shaped like a shop: one custom domain, one
 * alias, www (4 hosts each), unless `perApp` says more custom domains per app.
 */
export function fleetOfHosts(hosts: number, prefix: string, perApp = 4): { shape: FleetShape; apps: AppFixture[] } {
  const customDomains = Math.max(1, perApp - 3);
  const each = hostsPerApp({ customDomains, aliases: 1, www: true });
  const apps = Math.ceil(hosts / each);
  const orgs = Math.ceil(apps / APPS_PER_ORG);
  const shape = { orgs, appsPerOrg: Math.ceil(apps / orgs), customDomains, aliases: 1, www: true };
  return { shape, apps: generateFleet(shape, prefix).slice(0, apps) };
}
