import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Payload, writePayload } from './atomic-writer.ts';

const p = (o: Record<string, [string, number]>): Payload =>
  new Map(Object.entries(o).map(([k, [c, mode]]) => [k, { content: Buffer.from(c), mode }]));

describe('writePayload (kubelet AtomicWriter layout)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a timestamped data dir, a ..data symlink and per-key symlinks with the modes asked', () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-'));
    expect(writePayload(dir, p({ a: ['1', 0o644], 'sub/b': ['2', 0o400] }))).toBe(true);
    const data = readlinkSync(join(dir, '..data'));
    expect(data).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    expect(readlinkSync(join(dir, 'a'))).toBe('..data/a');
    expect(readlinkSync(join(dir, 'sub'))).toBe('..data/sub');
    expect(readFileSync(join(dir, 'sub', 'b'), 'utf8')).toBe('2');
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'sub/b')).mode & 0o777).toBe(0o400);
  });

  it('swaps to a new data dir on change, drops removed keys and the old dir, and writes nothing when unchanged', () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-'));
    writePayload(dir, p({ a: ['1', 0o644], b: ['x', 0o644] }));
    const first = readlinkSync(join(dir, '..data'));
    expect(writePayload(dir, p({ a: ['1', 0o644], b: ['x', 0o644] }))).toBe(false);
    expect(readlinkSync(join(dir, '..data'))).toBe(first);
    expect(writePayload(dir, p({ a: ['2', 0o644] }))).toBe(true);
    expect(readlinkSync(join(dir, '..data'))).not.toBe(first);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('2');
    expect(() => lstatSync(join(dir, 'b'))).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['..data', readlinkSync(join(dir, '..data')), 'a'].sort());
    // A mode change alone is a change.
    expect(writePayload(dir, p({ a: ['2', 0o600] }))).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
  });

  it('refuses paths that leave the volume', () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-'));
    expect(() => writePayload(dir, p({ '../x': ['1', 0o644] }))).toThrow(/must not contain/);
    expect(() => writePayload(dir, p({ '/etc/x': ['1', 0o644] }))).toThrow(/relative/);
  });
});
