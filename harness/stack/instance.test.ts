import { describe, expect, it } from 'vitest';
import { parseAppFixture } from './app-fixture.ts';
import { instanceApp, instanceHost, instanceTag, userZone } from './instance.ts';
import { render } from './render.ts';

const shop = parseAppFixture(
  'org: acme\napp: shop\nimage: skyprobe/echo:1\ncustomDomains: [shop.example.com]\naliases: [store.example.com]\nwwwRedirect: true\n',
);
const intruder = parseAppFixture(
  'org: evil\napp: copycat\nimage: skyprobe/echo:1\ncustomDomains: [shop.example.com]\n',
);

describe('instance names', () => {
  it('tags a scenario run by its id and routing mode', () => {
    expect(instanceTag('DP-01', 'current')).toBe('dp01c');
    expect(instanceTag('TLS-04', 'target')).toBe('tls04t');
  });

  it('puts the tag into the org, the generated host and the registrable domain of every user host', () => {
    const a = instanceApp(shop, 'dp01c');
    expect(a.org).toBe('acme-dp01c');
    expect(a.namespace).toBe('org-acme-dp01c');
    expect(a.generatedHost).toBe('shop-acme-dp01c.satusky.com');
    expect(a.customDomains).toEqual(['shop.example-dp01c.com']);
    expect(a.aliases).toEqual(['store.example-dp01c.com']);
    expect(userZone(a.customDomains[0] as string)).toBe('example-dp01c.com');
    expect(a.objectName('domains')).toBe('shop-domains');
    expect(a.listener('shop.example-dp01c.com')).toBe('https-shop-example-dp01c-com');
    // The renderer's objects follow: its namespace and every host are the instance's.
    const r = render(a, 'target');
    expect(r.namespace).toBe('org-acme-dp01c');
    expect(r.hosts.map((h) => h.host)).toEqual([
      'shop-acme-dp01c.satusky.com',
      'shop.example-dp01c.com',
      'store.example-dp01c.com',
      'www.shop.example-dp01c.com',
    ]);
  });

  it('keeps a collision between two apps of one run (DP-04), and none between runs', () => {
    expect(instanceApp(intruder, 'dp04c').customDomains).toEqual(instanceApp(shop, 'dp04c').customDomains);
    expect(instanceApp(shop, 'dp04t').customDomains).not.toEqual(instanceApp(shop, 'dp04c').customDomains);
  });

  it("keeps the fixture's own names without a tag", () => {
    const a = instanceApp(shop, '');
    expect([a.org, a.generatedHost, a.customDomains[0], a.namespace]).toEqual([
      'acme',
      'shop-acme.satusky.com',
      'shop.example.com',
      'org-acme',
    ]);
    expect(instanceHost('a.b.example.net', 'x1')).toBe('a.b.example-x1.net');
  });

  it('refuses a tag that makes an invalid name', () => {
    expect(() => instanceApp(shop, 'x'.repeat(70))).toThrow(/not a valid hostname/);
  });
});
