import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../testing/fake-runner.ts';
import { DiskFullError, GoMissingError } from './errors.ts';
import { checkDisk, checkGo, parseGoVersion, versionAtLeast } from './preflight.ts';

describe('preflight', () => {
  it('parses go version output and compares versions', () => {
    expect(parseGoVersion('go version go1.26.8 linux/amd64')).toBe('1.26.8');
    expect(parseGoVersion('go version devel')).toBeUndefined();
    expect(versionAtLeast('1.26.8', '1.26')).toBe(true);
    expect(versionAtLeast('1.27', '1.26')).toBe(true);
    expect(versionAtLeast('1.25.9', '1.26')).toBe(false);
  });

  it('names a missing go and how to fix it', async () => {
    const f = fakeRunner([{ match: /^go version$/, reply: { notFound: true, exitCode: 127 } }]);
    const err = await checkGo(f.run, '1.26').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoMissingError);
    expect((err as GoMissingError).message).toBe('go is not on PATH: the components are built with go build');
    expect((err as GoMissingError).hint).toMatch(/install Go 1\.26/);
  });

  it('refuses a go that is too old', async () => {
    const f = fakeRunner([{ match: /^go version$/, reply: { output: 'go version go1.24.1 linux/amd64' } }]);
    await expect(checkGo(f.run, '1.26')).rejects.toThrow(
      'go 1.24.1 is too old: the pinned components need Go 1.26 or newer',
    );
  });

  it('accepts a new enough go and returns its version', async () => {
    const f = fakeRunner([{ match: /^go version$/, reply: { output: 'go version go1.26.8 linux/amd64' } }]);
    await expect(checkGo(f.run, '1.26')).resolves.toBe('1.26.8');
  });

  it('refuses to start a build that cannot fit on the disk', () => {
    expect(() => checkDisk('/cache', 16 * 2 ** 30, 2 * 2 ** 30)).toThrow(DiskFullError);
    expect(() => checkDisk('/cache', 16 * 2 ** 30, 2 * 2 ** 30)).toThrow(
      'not enough disk for the build: 2.0 GiB free under /cache, 16.0 GiB needed',
    );
    expect(() => checkDisk('/cache', 16 * 2 ** 30, 20 * 2 ** 30)).not.toThrow();
  });
});
