import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appHosts, parseAppFixture } from './app-fixture.ts';

const shop = readFileSync(new URL('../../fixtures/apps/shop.yaml', import.meta.url), 'utf8');

describe('app fixtures', () => {
  it('parses the shop fixture with its generated host and defaults', () => {
    const a = parseAppFixture(shop);
    expect(a).toMatchObject({
      org: 'acme',
      app: 'shop',
      replicas: 2,
      port: 8080,
      generatedHost: 'shop-acme.satusky.com',
      wwwRedirect: true,
    });
    expect(appHosts(a)).toEqual([
      { host: 'shop-acme.satusky.com', kind: 'generated' },
      { host: 'shop.example.com', kind: 'custom' },
      { host: 'store.example.com', kind: 'alias' },
      { host: 'www.shop.example.com', kind: 'www' },
    ]);
  });

  it.each([
    [
      'an invalid hostname',
      'org: a\napp: b\nimage: i\ncustomDomains: [shop..example.com]',
      'customDomains[0]: "shop..example.com" is not a valid hostname',
    ],
    [
      'an upper-case hostname',
      'org: a\napp: b\nimage: i\naliases: [Shop.example.com]',
      'aliases[0]: "Shop.example.com" is not a valid hostname',
    ],
    [
      'a custom domain in satusky.com',
      'org: a\napp: b\nimage: i\ncustomDomains: [x.satusky.com]',
      'customDomains[0]: "x.satusky.com" is in satusky.com, which only generated hosts use',
    ],
    ['a missing field', 'org: a\napp: b', 'image: missing'],
    ['an unknown key', 'org: a\napp: b\nimage: i\ndomains: [x.com]', 'domains: unknown key'],
    ['a bad org', 'org: Acme_Corp\napp: b\nimage: i', 'org: "Acme_Corp" must be lower-case'],
    [
      'a www redirect with no custom domain',
      'org: a\napp: b\nimage: i\nwwwRedirect: true',
      'wwwRedirect: needs a custom domain',
    ],
    [
      'a host listed twice',
      'org: a\napp: b\nimage: i\ncustomDomains: [x.com]\naliases: [x.com]',
      'customDomains/aliases: "x.com" is listed twice',
    ],
    ['replicas out of range', 'org: a\napp: b\nimage: i\nreplicas: 0', 'replicas: must be a whole number from 1 to 10'],
  ])('rejects %s, naming the field', (_what, text, message) => {
    expect(() => parseAppFixture(text, 'f.yaml')).toThrow(`f.yaml: ${message}`);
  });
});
