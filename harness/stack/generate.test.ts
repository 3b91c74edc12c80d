import { describe, expect, it } from 'vitest';
import { appHosts, parseAppFixture } from './app-fixture.ts';
import { fleetOfHosts, generateFleet, hostsPerApp } from './generate.ts';
import { parseScale } from './scale.ts';

describe('the app fixture generator', () => {
  it('orgs x apps x custom domains x aliases x www, every host unique and valid as a fixture would be', () => {
    const shape = { orgs: 3, appsPerOrg: 4, customDomains: 2, aliases: 1, www: true };
    const apps = generateFleet(shape, 'sc');
    expect(apps).toHaveLength(12);
    expect(hostsPerApp(shape)).toBe(5);
    const hosts = apps.flatMap((a) => appHosts(a).map((h) => h.host));
    expect(hosts).toHaveLength(60);
    expect(new Set(hosts).size).toBe(60);
    const first = apps[0];
    expect(appHosts(first as (typeof apps)[number])).toEqual([
      { host: 'a0-sc0.satusky.com', kind: 'generated' },
      { host: 'a0.sc0.example', kind: 'custom' },
      { host: 'a0-d1.sc0.example', kind: 'custom' },
      { host: 'a0-alias0.sc0.example', kind: 'alias' },
      { host: 'www.a0.sc0.example', kind: 'www' },
    ]);
    // What the fixture parser makes of the same app is the generated one.
    const a = apps[5] as (typeof apps)[number];
    const yaml = `org: ${a.org}\napp: ${a.app}\nimage: ${a.image}\nreplicas: 1\ncustomDomains: [${a.customDomains.join(', ')}]\naliases: [${a.aliases.join(', ')}]\nwwwRedirect: true\n`;
    expect(parseAppFixture(yaml)).toEqual(a);
  });

  it('a fleet of N hosts: whole apps of 4 hosts, at most 16 apps per org', () => {
    const f = fleetOfHosts(256, 'sc');
    expect(f.apps).toHaveLength(64);
    expect(new Set(f.apps.map((a) => a.org)).size).toBe(4);
    expect(f.apps.flatMap(appHosts)).toHaveLength(256);
    expect(fleetOfHosts(10, 'x').apps).toHaveLength(3);
    const wide = fleetOfHosts(1024, 'w', 16);
    expect(wide.apps).toHaveLength(64);
    expect(wide.apps.flatMap(appHosts)).toHaveLength(1024);
  });

  it('--scale is a whole number of hosts from 4 to 4096', () => {
    expect(parseScale('256')).toBe(256);
    for (const bad of ['3', '5000', '1.5', 'x', '']) expect(() => parseScale(bad)).toThrow(/--scale/);
  });
});
