/** The pin file's rows of docs/bad-input.md, and its parser fuzzed for a bounded time (harness/testing/fuzz.ts). */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsOrRefuses, anyText, bounded, nearMiss } from '../testing/fuzz.ts';
import { PIN_FILE_MAX_BYTES, parsePinFile } from './components.ts';

const good = readFileSync(new URL('../../fixtures/components.yaml', import.meta.url), 'utf8');
const refused = (text: string) => {
  try {
    parsePinFile(text, 'pins.yaml');
  } catch (err) {
    return err as Error & { exitCode: number };
  }
  throw new Error('accepted');
};

describe('pin file: bad input is one line, exit 2', () => {
  const rows: [string, string, RegExp][] = [
    ['wrong type', good.replace(/^go: .*$/m, 'go: {a: 1}'), /^pins.yaml: go: .* must be major.minor, like 1.26$/],
    ['unknown key', `${good}\ncolour: red\n`, /^pins.yaml: top level: unknown key "colour"$/],
    [
      'unknown key of a component',
      good.replace('  - name: etcd\n', '  - name: etcd\n    colour: red\n'),
      /^pins.yaml: components\[1\] \(etcd\): unknown key "colour"$/,
    ],
    [
      'invalid version (a shell command in it)',
      good.replace('version: v3.6.16', 'version: "v3.6.16; rm -rf /"'),
      /is not a version like v1.2.3$/,
    ],
    [
      'a component listed twice',
      good.replace('  - name: etcd\n', '  - name: kwok\n'),
      /^pins.yaml: component kwok: is listed twice$/,
    ],
    [
      'oversized',
      `${good}\n# ${'x'.repeat(PIN_FILE_MAX_BYTES)}\n`,
      /^pins.yaml: size: \d+ characters, more than a pin file holds/,
    ],
    ['an unknown YAML tag', good.replace('go: "1.26"', 'go: !foo "1.26"'), /^pins.yaml: YAML: Unresolved tag: !foo/],
    ['binary garbage', randomBytes(4096).toString('utf8'), /^pins.yaml: (top level: must be a map|YAML: .*)$/],
    ['empty', '', /^pins.yaml: top level: must be a map$/],
  ];
  for (const [name, text, expected] of rows)
    it(name, () => {
      const err = refused(text);
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(expected);
    });

  it('fuzzed (bounded): any text, and near misses of the real file, are parsed or refused in one line', () => {
    expect(parsePinFile(good).components.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.oneof(anyText(), nearMiss(good)), (text) => {
        acceptsOrRefuses(() => parsePinFile(text, 'pins.yaml'));
      }),
      bounded,
    );
  }, 30_000);
});
