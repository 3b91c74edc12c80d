/** The metadata parser (a file or URL a user gives: strict) fuzzed for a bounded time. */
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isHostname } from '../stack/app-fixture.ts';
import { acceptsOrRefuses, anyText, bounded } from '../testing/fuzz.ts';
import { parseMetadata } from './metadata.ts';

const host = fc.oneof(fc.domain(), fc.string({ maxLength: 30 }));
const deployment = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[a-z0-9-]{1,10}$/), fc.stringMatching(/^[a-z0-9.-]{1,10}$/))
    .map(([n, d]) => `${n}/${d}`),
  fc.string({ maxLength: 20 }),
);
const record = fc.record(
  {
    deployment: fc.oneof(deployment, fc.anything()),
    hosts: fc.array(fc.oneof(host, fc.record({ host }), fc.anything()), { maxLength: 4 }),
    extra: fc.string(),
  },
  { requiredKeys: ['deployment'] },
);
/** The three accepted shapes with any content, and any value at all. */
const doc = fc.oneof(
  fc.array(record, { maxLength: 5 }),
  fc.record({ apps: fc.array(record, { maxLength: 5 }) }),
  fc.record({ domains: fc.array(fc.record({ host, deployment }, { requiredKeys: [] }), { maxLength: 5 }) }),
  fc.anything({ maxDepth: 3 }),
  anyText().map((t) => {
    try {
      return parse(t) as unknown;
    } catch {
      return t;
    }
  }),
);

describe('metadata, fuzzed (bounded)', () => {
  it('any document: records whose hosts are DNS names and whose deployments are namespace/name, or one line of bad input', () => {
    fc.assert(
      fc.property(doc, (d) => {
        if (!acceptsOrRefuses(() => parseMetadata(d, 'm.yaml', { strict: true }))) return;
        for (const r of parseMetadata(d, 'm.yaml', { strict: true })) {
          expect(r.deployment).toMatch(/^[^/]+\/[^/]+$/);
          expect(r.hosts.every((h) => isHostname(h.toLowerCase().replace(/\.$/, '')))).toBe(true);
        }
      }),
      bounded,
    );
  }, 30_000);
});
