import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../paths.ts';
import { loadPinFile } from '../components.ts';
import { aptMirror } from './image-build.ts';
import { dockerfile, etcdImage, kindImages } from './images.ts';
import { cniConfig, kubeadmPause, sandboxImage } from './node-image.ts';

const pins = loadPinFile(join(repoRoot(), 'fixtures/components.yaml'));
const specs = kindImages(pins, (c, b) => `/cache/${c}/bin/${b}`, {
  pauseTags: ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10.2'],
  echoServer: '/repo/echo-server.mjs',
  node: '/usr/bin/node',
});

describe('the kind images, from the pinned builds', () => {
  it('are named as the manifests, kubeadm and containerd ask for them, each from the pinned binary', () => {
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    expect(byName['registry.k8s.io/kube-apiserver:v1.36.3']?.files[0]?.source).toBe(
      '/cache/kubernetes/bin/kube-apiserver',
    );
    expect(byName['registry.k8s.io/etcd:3.6.16-0']?.files[0]?.source).toBe('/cache/etcd/bin/etcd');
    expect(etcdImage(pins)).toBe('registry.k8s.io/etcd:3.6.16-0');
    expect(byName['docker.io/coredns/coredns:1.14.7']?.entrypoint).toEqual(['/coredns']);
    expect(byName['docker.io/library/traefik:v3.6.12']?.files[0]?.source).toBe('/cache/traefik/bin/traefik');
    expect(byName['ghcr.io/letsencrypt/pebble:2.10.1']?.inNode).toBe(false);
    expect(byName['registry.k8s.io/pause:3.10.2']?.files[0]?.source).toBe('/cache/kind/bin/pause');
    expect(byName['registry.k8s.io/kube-proxy:v1.36.3']?.base).toBe('rootfs');
    expect(byName['skyprobe/reaper:v0.33.0']?.inNode).toBe(false);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
  });

  it('build FROM scratch or the local Debian image only, labelled with their recipe', () => {
    for (const s of specs) {
      const text = dockerfile(s, 'skyprobe/debian:bookworm', 'abc');
      expect(text.split('\n')[0]).toMatch(/^FROM (scratch|skyprobe\/debian:bookworm)$/);
      expect(text).toContain('LABEL io.skyprobe.recipe=abc');
    }
  });

  it("read the sandbox image from kind's containerd config and the pause image from kubeadm's list", () => {
    expect(sandboxImage('[plugins]\n  sandbox_image = "registry.k8s.io/pause:3.10"\n')).toBe(
      'registry.k8s.io/pause:3.10',
    );
    expect(kubeadmPause('registry.k8s.io/etcd:3.6.8-0\nregistry.k8s.io/pause:3.10.2\n')).toBe(
      'registry.k8s.io/pause:3.10.2',
    );
    expect(JSON.parse(cniConfig()).plugins.map((p: { type: string }) => p.type)).toEqual(['ptp', 'portmap']);
  });

  it('debootstrap fetches from the mirror apt uses', () => {
    expect(
      aptMirror([
        { path: '/etc/apt/sources.list.d/debian.sources', text: 'Types: deb\nURIs: http://mirror.example/debian\n' },
      ]),
    ).toBe('http://mirror.example/debian');
    expect(
      aptMirror([{ path: '/etc/apt/sources.list', text: 'deb [arch=amd64] http://m.example/d bookworm main\n' }]),
    ).toBe('http://m.example/d');
    expect(aptMirror([])).toBe('http://deb.debian.org/debian');
  });
});
