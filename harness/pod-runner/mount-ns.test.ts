import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MOUNTINFO } from '../testing/mountinfo.ts';
import { mountNsFor, parseMountinfo, programMounts, rootChildren, setupScript } from './mount-ns.ts';

describe('mount namespace plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mns-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binds the machine mounts right below / into the container root, never the lab folder', () => {
    expect(rootChildren(parseMountinfo(MOUNTINFO), '/run/skyprobe/lab-ab12')).toEqual([
      '/proc',
      '/dev',
      '/run/netns',
      '/run/skyprobe/lab-cd34/mntns',
      '/mnt/with space',
    ]);
  });

  it('the script: tmpfs scratch, overlay root, pivot_root, each volume bound (read-only when asked), host root dropped', () => {
    const ns = mountNsFor('/run/skyprobe/lab-ab12', 'ab12', 'u1', 'c');
    expect(ns.file).toBe('/run/skyprobe/lab-ab12/mntns/u1.c');
    const vol = join(dir, 'vol');
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    rmSync(vol, { force: true, recursive: true });
    mkdirSync(vol);
    const script = setupScript(
      ns,
      ['/proc'],
      [
        { source: vol, target: '/etc/secret-volume', readOnly: true },
        { source: file, target: '/etc/app/one.conf', readOnly: false },
      ],
    );
    const lines = script.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(script).toContain("mount -t tmpfs -o mode=0700 skyprobe-ab12 '/run/skyprobe/lab-ab12/pods/u1/root/c'");
    expect(script).toContain('lowerdir=/,upperdir=/run/skyprobe/lab-ab12/pods/u1/root/c/up');
    expect(script).toContain("mount --rbind '/proc' '/run/skyprobe/lab-ab12/pods/u1/root/c/root/proc'");
    expect(at('pivot_root . .skyprobe-host')).toBeLessThan(at(`mkmp '/etc/secret-volume' dir`));
    expect(script).toContain(`mount --bind '/.skyprobe-host${vol}' '/etc/secret-volume'`);
    expect(script).toContain("mount -o remount,bind,ro '/etc/secret-volume'");
    expect(script).toContain(`mkmp '/etc/app/one.conf' file`);
    expect(script).not.toContain("remount,bind,ro '/etc/app/one.conf'");
    expect(at('umount -l /.skyprobe-host')).toBeGreaterThan(at(`mount --bind '/.skyprobe-host${file}'`));
  });

  it('moves a program that a volume would hide (CoreDNS with its Corefile at /root) to /.skyprobe/programs', () => {
    const prog = join(dir, 'coredns');
    writeFileSync(prog, '');
    const vol = { source: '/x', target: dir, readOnly: true };
    expect(programMounts([prog, '-conf', `${dir}/Corefile`], [vol])).toEqual({
      argv: ['/.skyprobe/programs/0-coredns', '-conf', `${dir}/Corefile`],
      extra: [{ source: prog, target: '/.skyprobe/programs/0-coredns', readOnly: true }],
    });
    expect(programMounts([prog], [{ ...vol, target: '/elsewhere' }])).toEqual({ argv: [prog], extra: [] });
  });
});
