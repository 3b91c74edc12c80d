/**
 * The images of the kind path, as data: every one made here from a pinned build (no image is pulled), named and
 * tagged as the manifests, kubeadm and containerd ask for them. Where a name must match a registry image (the
 * control plane's, Traefik's, CoreDNS's...), the local build of that very release carries it; skyprobe's own
 * images are named skyprobe/*. Pure: image-build.ts builds them.
 */
import type { PinFile } from '../components.ts';

export interface ImageFile {
  /** A file on this machine (a built binary, a repository file). */
  source: string;
  /** Its path in the image. */
  target: string;
}

export interface ImageSpec {
  name: string;
  /** scratch: a static binary alone; rootfs: on the Debian root file system (kube-proxy needs iptables). */
  base: 'scratch' | 'rootfs';
  files: ImageFile[];
  entrypoint: string[];
  /** USER of the image: cert-manager's pods run with runAsNonRoot, which needs a non-root user in the image. */
  user?: string;
  /** Loaded into the node image's containerd (what pods of the cluster run). */
  inNode: boolean;
}

/** Where one built binary is: (component, binary) -> path in the cache. */
export type BinaryPath = (component: string, binary: string) => string;

/** skyprobe's Debian base, imported from the debootstrap root file system. */
export const ROOTFS_IMAGE = (suite: string) => `skyprobe/debian:${suite}`;
/** The reaper testcontainers is told to use (RYUK_CONTAINER_IMAGE). */
export const REAPER_IMAGE = (kindVersion: string) => `skyprobe/reaper:${kindVersion}`;
export const ECHO_IMAGE = 'skyprobe/echo:1';
export const TOOLBOX_IMAGE = 'skyprobe/toolbox:latest';
/** The label that holds an image's recipe digest: a cached image whose label matches is not built again. */
export const RECIPE_LABEL = 'io.skyprobe.recipe';

function version(pins: PinFile, name: string): string {
  const c = pins.components.find((x) => x.name === name);
  if (!c) throw new Error(`the pin file has no component ${name}`);
  return c.version;
}

/** The cert-manager images skyprobe's offline manifest (kind/cert-manager-manifest.ts) names. */
export function certManagerImages(v: string): { controller: string; acmesolver: string } {
  return {
    controller: `quay.io/jetstack/cert-manager-controller:${v}`,
    acmesolver: `quay.io/jetstack/cert-manager-acmesolver:${v}`,
  };
}

/** kubeadm's etcd image for the pinned etcd (kubeadm's own tag form, <version>-0). */
export function etcdImage(pins: PinFile): string {
  return `registry.k8s.io/etcd:${version(pins, 'etcd').replace(/^v/, '')}-0`;
}

/**
 * Every image. `pauseTags`: the sandbox image names containerd's config and kubeadm ask for (read from kind's
 * base files and `kubeadm config images list` by the caller). `echoServer`, `node`: the echo backend's program
 * and the Node.js that runs it.
 */
export function kindImages(
  pins: PinFile,
  bin: BinaryPath,
  o: { pauseTags: string[]; echoServer: string; node: string },
): ImageSpec[] {
  const kind = pins.kind;
  if (!kind) throw new Error('the pin file has no kind: section');
  const kube = version(pins, 'kubernetes');
  const scratch = (name: string, component: string, binary: string, target: string, inNode = true): ImageSpec => ({
    name,
    base: 'scratch',
    files: [{ source: bin(component, binary), target }],
    entrypoint: [target],
    inNode,
  });
  const cm = certManagerImages(version(pins, 'cert-manager'));
  const [pause, ...morePause] = o.pauseTags;
  if (!pause) throw new Error('no pause image name given');
  return [
    ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((b) =>
      scratch(`registry.k8s.io/${b}:${kube}`, 'kubernetes', b, `/usr/local/bin/${b}`),
    ),
    {
      name: `registry.k8s.io/kube-proxy:${kube}`,
      base: 'rootfs',
      files: [{ source: bin('kubernetes', 'kube-proxy'), target: '/usr/local/bin/kube-proxy' }],
      entrypoint: ['/usr/local/bin/kube-proxy'],
      inNode: true,
    },
    scratch(etcdImage(pins), 'etcd', 'etcd', '/usr/local/bin/etcd'),
    scratch(kind.components.coredns.image as string, 'coredns', 'coredns', '/coredns'),
    scratch(pause, 'kind', 'pause', '/pause'),
    ...morePause.map((name) => ({ ...scratch(name, 'kind', 'pause', '/pause') })),
    scratch(kind.components.traefik.image as string, 'traefik', 'traefik', '/usr/local/bin/traefik'),
    // upstream's images run as distroless's nonroot user (65532); the solver pod asks runAsNonRoot
    {
      ...scratch(cm.controller, 'cert-manager', 'cert-manager-controller', '/app/cmd/controller/controller'),
      user: '65532',
    },
    { ...scratch(cm.acmesolver, 'cert-manager', 'acmesolver', '/app/cmd/acmesolver/acmesolver'), user: '65532' },
    scratch(
      `registry.k8s.io/gateway-api/echo-basic:${version(pins, 'gateway-api')}`,
      'gateway-api',
      'echo-basic',
      '/echo-basic',
    ),
    scratch(kind.components.pebble.image as string, 'pebble', 'pebble', '/usr/bin/pebble', false),
    scratch(REAPER_IMAGE(kind.version), 'kind', 'reaper', '/bin/reaper', false),
    {
      name: ECHO_IMAGE,
      base: 'rootfs',
      files: [
        { source: o.node, target: '/usr/local/bin/node' },
        { source: o.echoServer, target: '/echo-server.mjs' },
      ],
      entrypoint: ['/usr/local/bin/node', '/echo-server.mjs'],
      inNode: true,
    },
    { name: TOOLBOX_IMAGE, base: 'rootfs', files: [], entrypoint: ['/bin/sh'], inNode: true },
  ];
}

/** The Dockerfile of one image (legacy builder, no pull: FROM scratch or the local Debian image). */
export function dockerfile(spec: ImageSpec, rootfsImage: string, recipe: string): string {
  const lines = [`FROM ${spec.base === 'scratch' ? 'scratch' : rootfsImage}`];
  spec.files.forEach((f, i) => lines.push(`COPY f${i} ${f.target}`));
  if (spec.user) lines.push(`USER ${spec.user}`);
  lines.push(`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`, `LABEL ${RECIPE_LABEL}=${recipe}`);
  return `${lines.join('\n')}\n`;
}
