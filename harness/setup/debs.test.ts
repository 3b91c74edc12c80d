import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../log.ts';
import { fakeRunner } from '../testing/fake-runner.ts';
import { installPackages, missingPackages } from './debs.ts';
import { AptError, NotRootError } from './errors.ts';

const dpkg = { match: /^dpkg-query/, reply: { output: 'pebble ii \nhaproxy un \n', exitCode: 1 } };

describe('debian packages', () => {
  it('lists the packages dpkg does not show as installed', async () => {
    const f = fakeRunner([dpkg]);
    await expect(missingPackages(f.run, ['pebble', 'haproxy', 'wireguard-go'])).resolves.toEqual([
      'haproxy',
      'wireguard-go',
    ]);
  });

  it('asks for root, naming the packages, when something is missing and we are not root', async () => {
    const f = fakeRunner([]);
    const p = installPackages(['haproxy'], {
      run: f.run,
      progress: silentProgress,
      logFile: '/dev/null',
      isRoot: false,
    });
    await expect(p).rejects.toBeInstanceOf(NotRootError);
    await expect(p).rejects.toThrow('the Debian packages haproxy are missing and installing them needs root');
    expect(f.calls).toHaveLength(0);
  });

  it('installs with services held back, and removes its own policy-rc.d afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-debs-'));
    const policy = join(dir, 'policy-rc.d');
    let policyDuringInstall = '';
    const f = fakeRunner([
      { match: /^apt-get update$/, reply: {} },
      {
        match: /^apt-get install -y --no-install-recommends haproxy pebble$/,
        reply: () => ((policyDuringInstall = readFileSync(policy, 'utf8')), {}),
      },
    ]);
    await installPackages(['haproxy', 'pebble'], {
      run: f.run,
      progress: silentProgress,
      logFile: '/dev/null',
      isRoot: true,
      policyRcD: policy,
    });
    expect(policyDuringInstall).toContain('exit 101');
    expect(existsSync(policy)).toBe(false);
    expect(f.calls.map((c) => c.opts.env?.DEBIAN_FRONTEND)).toEqual(['noninteractive', 'noninteractive']);
  });

  it('names the package apt cannot find, with the command and the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-debs-'));
    const f = fakeRunner([
      { match: /^apt-get update$/, reply: {} },
      {
        match: /^apt-get install/,
        reply: { exitCode: 100, output: 'Reading package lists...\nE: Unable to locate package pebbel' },
      },
    ]);
    const err = await installPackages(['pebbel'], {
      run: f.run,
      progress: silentProgress,
      logFile: '/l/apt.log',
      isRoot: true,
      policyRcD: join(dir, 'p'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AptError);
    expect((err as AptError).message).toBe('apt-get install failed: Unable to locate package pebbel');
    expect((err as AptError).hint).toContain('/l/apt.log');
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });
});
