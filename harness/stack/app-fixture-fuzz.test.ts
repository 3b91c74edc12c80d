/** The app fixture parser fuzzed for a bounded time: anything is parsed into a sound app or refused in one line. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { acceptsOrRefuses, anyText, bounded, nearMiss } from '../testing/fuzz.ts';
import { FIXTURE_LIMITS, appHosts, isHostname, parseAppFixture } from './app-fixture.ts';

const shop = readFileSync(new URL('../../fixtures/apps/shop.yaml', import.meta.url), 'utf8');
const label = fc.stringMatching(/^[a-z0-9-]{0,12}$/);
const host = fc.oneof(fc.domain(), fc.string({ maxLength: 30 }));
/** Documents of the fixture's shape with values of any type (and the odd unknown key). */
const shaped = fc
  .record(
    {
      org: fc.oneof(label, fc.anything()),
      app: fc.oneof(label, fc.anything()),
      image: fc.oneof(fc.constant('skyprobe/echo:1'), fc.string({ maxLength: 600 })),
      replicas: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.anything()),
      port: fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.anything()),
      customDomains: fc.oneof(fc.array(host, { maxLength: 6 }), fc.anything()),
      aliases: fc.array(host, { maxLength: 4 }),
      wwwRedirect: fc.oneof(fc.boolean(), fc.anything()),
      httpsRedirect: fc.boolean(),
      colour: fc.string(),
    },
    { requiredKeys: [] },
  )
  .map((d) => stringify(d));

describe('app fixture, fuzzed (bounded)', () => {
  it('any text, near misses of shop.yaml and documents of its shape: a sound app, or one line of bad input', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(), nearMiss(shop), shaped), (text) => {
        if (!acceptsOrRefuses(() => parseAppFixture(text, 'app.yaml'))) return;
        const a = parseAppFixture(text, 'app.yaml');
        const hosts = appHosts(a).map((h) => h.host);
        expect(hosts.every(isHostname)).toBe(true);
        expect(new Set(hosts).size).toBe(hosts.length);
        expect(a.customDomains.length + a.aliases.length).toBeLessThanOrEqual(FIXTURE_LIMITS.hosts);
        expect(a.image.length).toBeLessThanOrEqual(FIXTURE_LIMITS.image);
        expect(a.replicas >= 1 && a.replicas <= 10 && a.port >= 1 && a.port <= 65535).toBe(true);
      }),
      bounded,
    );
  }, 30_000);
});
