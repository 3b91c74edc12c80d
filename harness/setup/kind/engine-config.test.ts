import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_LINK, ENGINE_POOL, daemonConfig, enginePaths, runcWrapperScript } from './engine-config.ts';

describe("skyprobe's engine config", () => {
  it('keeps everything under one folder of the cache, with the runc wrapper as the default runtime', () => {
    const p = enginePaths({ root: '/c', gomodcache: '/c/gomod', gocache: '/c/gocache', logs: '/c/logs' });
    expect(p.dockerHost).toBe('unix:///c/engine/docker.sock');
    const cfg = daemonConfig(p);
    expect(cfg['data-root']).toBe('/c/engine/data');
    expect(cfg['exec-root']).toBe('/c/engine/exec');
    expect(cfg.hosts).toEqual(['unix:///c/engine/docker.sock']);
    expect(cfg['default-runtime']).toBe('skyprobe-runc');
    expect(cfg.runtimes).toEqual({ 'skyprobe-runc': { path: '/c/engine/runc-wrapper' } });
    expect(cfg['default-address-pools']).toEqual([{ base: ENGINE_POOL, size: 24 }]);
  });

  it("the link and the engine's networks stay outside the embedded lab's address plan", () => {
    for (const a of [ENGINE_LINK.host, ENGINE_LINK.engine, ENGINE_POOL])
      expect(a).not.toMatch(/^(10\.89\.|10\.244\.|10\.96\.|198\.51\.100\.|203\.0\.113\.|192\.168\.77\.)/);
  });

  it('the runc wrapper removes CAP_SYS_RESOURCE, and only it, from a bundle on create and a process file on exec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-runc-'));
    try {
      const fakeRunc = join(dir, 'runc');
      writeFileSync(fakeRunc, '#!/bin/sh\necho "runc $*"\n', { mode: 0o755 });
      const wrapper = join(dir, 'wrapper');
      writeFileSync(wrapper, runcWrapperScript(fakeRunc), { mode: 0o755 });
      const caps = ['CAP_CHOWN', 'CAP_SYS_RESOURCE', 'CAP_NET_ADMIN'];
      const bundle = join(dir, 'bundle');
      execFileSync('mkdir', ['-p', bundle]);
      writeFileSync(
        join(bundle, 'config.json'),
        JSON.stringify({ process: { capabilities: { bounding: caps, effective: caps, permitted: caps } } }),
      );
      const out = execFileSync(wrapper, ['--root', '/r', 'create', '--bundle', bundle, 'id1'], { encoding: 'utf8' });
      expect(out).toContain(`runc --root /r create --bundle ${bundle} id1`);
      const cfg = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
      expect(cfg.process.capabilities.bounding).toEqual(['CAP_CHOWN', 'CAP_NET_ADMIN']);
      expect(cfg.process.capabilities.permitted).toEqual(['CAP_CHOWN', 'CAP_NET_ADMIN']);
      const proc = join(dir, 'process.json');
      writeFileSync(proc, JSON.stringify({ capabilities: { bounding: caps } }));
      execFileSync(wrapper, ['exec', '--process', proc, 'id1'], { encoding: 'utf8' });
      expect(JSON.parse(readFileSync(proc, 'utf8')).capabilities.bounding).toEqual(['CAP_CHOWN', 'CAP_NET_ADMIN']);
      // any other command passes through untouched
      writeFileSync(join(bundle, 'config.json'), JSON.stringify({ process: { capabilities: { bounding: caps } } }));
      execFileSync(wrapper, ['state', 'id1']);
      expect(JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')).process.capabilities.bounding).toEqual(caps);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
