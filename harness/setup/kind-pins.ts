/**
 * The `kind:` section of the pin file: what the kind provider (harness/providers/kind/) installs, as upstream
 * release manifests and images. Checked strictly, like the Go components: every URL and image must name its
 * version, and a component that the embedded lab also builds must be pinned to the same upstream release, so
 * both providers run the same Traefik, cert-manager, Gateway API and CoreDNS.
 */
import { PinError, SEMVER, checkKeys, isRecord, stringList } from './pin-schema.ts';

export const KIND_COMPONENTS = ['gateway-api', 'cert-manager', 'traefik', 'coredns', 'pebble'] as const;
export type KindComponentName = (typeof KIND_COMPONENTS)[number];

export interface KindComponentPin {
  version: string;
  /** Container image with its pinned tag (and digest where one was published). */
  image?: string;
  /** Manifest URLs in the order they are applied; each names the version. */
  manifests: string[];
}

/** What `setup --kind` makes here when no registry serves images (harness/setup/kind/). */
export interface KindLocalPins {
  /** Debian package -> commands that prove it is installed: the engine and the tools of the image builds. */
  debian: Record<string, string[]>;
  /** The node's root file system: debootstrap --variant=minbase <suite> with these packages. */
  rootfs: { suite: string; packages: string[] };
  /** The node image setup assembles, tagged with the Kubernetes version it runs. */
  nodeImage: string;
}

export interface KindPins {
  /** The kind release whose node image is pinned (kind supports a node image only with its own release). */
  version: string;
  /** kindest/node:<kubernetes version>@sha256:<digest>, as listed in that kind release's notes. */
  nodeImage: string;
  components: Record<KindComponentName, KindComponentPin>;
  local?: KindLocalPins;
}

function parseLocal(file: string, v: unknown, kube?: BuiltVersion): KindLocalPins {
  const at = 'kind.local';
  if (!isRecord(v)) throw new PinError(file, at, 'must be a map');
  checkKeys(file, at, v, ['debian', 'rootfs', 'nodeImage'], ['debian', 'rootfs', 'nodeImage']);
  if (!isRecord(v.debian)) throw new PinError(file, `${at}.debian`, 'must be a map of package -> commands');
  const debian: Record<string, string[]> = {};
  for (const [pkg, cmds] of Object.entries(v.debian)) debian[pkg] = stringList(file, `${at}.debian.${pkg}`, cmds);
  const r = v.rootfs;
  if (!isRecord(r)) throw new PinError(file, `${at}.rootfs`, 'must be a map');
  checkKeys(file, `${at}.rootfs`, r, ['suite', 'packages'], ['suite', 'packages']);
  const nodeImage = String(v.nodeImage);
  if (kube && !nodeImage.endsWith(`:${kube.version}`))
    throw new PinError(file, `${at}.nodeImage`, `"${nodeImage}" must be tagged ${kube.version} (component kubernetes)`);
  return {
    debian,
    rootfs: { suite: String(r.suite), packages: stringList(file, `${at}.rootfs.packages`, r.packages) },
    nodeImage,
  };
}

/** What each component must carry: manifests to apply, an image to run, or both. */
const NEEDS: Record<KindComponentName, ('image' | 'manifests')[]> = {
  'gateway-api': ['manifests'],
  'cert-manager': ['manifests'],
  traefik: ['image', 'manifests'],
  coredns: ['image'],
  pebble: ['image'],
};

const NODE_IMAGE = /^kindest\/node:(v\d+\.\d+)\.\d+@sha256:[0-9a-f]{64}$/;

/**
 * What the `kind:` section reads of the pin file's Go components (components.ts GoComponent): each one's name and
 * version. Only these, so that this file needs nothing from components.ts, which imports it.
 */
export type BuiltVersion = { name: string; version: string };

function imageNamesVersion(image: string, version: string): boolean {
  const tag = /:([^:/@]+)(@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
  return tag === version || tag === version.replace(/^v/, '');
}

function parseComponent(file: string, name: KindComponentName, v: unknown, built: BuiltVersion[]): KindComponentPin {
  const at = `kind.components.${name}`;
  if (!isRecord(v)) throw new PinError(file, at, 'must be a map');
  checkKeys(file, at, v, ['version', 'image', 'manifests'], ['version', ...NEEDS[name]]);
  const version = String(v.version);
  if (!SEMVER.test(version)) throw new PinError(file, `${at}.version`, `"${version}" is not a version like v1.2.3`);
  const same = built.find((c) => c.name === name);
  if (same && same.version !== version)
    throw new PinError(
      file,
      `${at}.version`,
      `${version} differs from component ${name} (${same.version}): both providers must run one release`,
    );
  const pin: KindComponentPin = { version, manifests: [] };
  if (v.image !== undefined) {
    pin.image = String(v.image);
    if (!imageNamesVersion(pin.image, version))
      throw new PinError(file, `${at}.image`, `"${pin.image}" is not tagged ${version}`);
  }
  if (v.manifests !== undefined) {
    pin.manifests = stringList(file, `${at}.manifests`, v.manifests);
    for (const url of pin.manifests)
      if (!url.startsWith('https://') || !url.includes(`/${version}/`))
        throw new PinError(file, `${at}.manifests`, `"${url}" must be an https URL naming /${version}/`);
  }
  return pin;
}

/** Parse the `kind:` section; `built` are the Go components of the same file (their versions must agree). */
export function parseKindPins(file: string, v: unknown, built: BuiltVersion[]): KindPins {
  if (!isRecord(v)) throw new PinError(file, 'kind', 'must be a map');
  checkKeys(file, 'kind', v, ['version', 'nodeImage', 'components', 'local'], ['version', 'nodeImage', 'components']);
  const version = String(v.version);
  if (!SEMVER.test(version)) throw new PinError(file, 'kind.version', `"${version}" is not a version like v0.33.0`);
  const nodeImage = String(v.nodeImage);
  const minor = NODE_IMAGE.exec(nodeImage)?.[1];
  if (!minor)
    throw new PinError(
      file,
      'kind.nodeImage',
      `"${nodeImage}" must be kindest/node:vX.Y.Z@sha256:<digest> (kind's notes require the digest)`,
    );
  const kube = built.find((c) => c.name === 'kubernetes');
  if (kube && !kube.version.startsWith(`${minor}.`))
    throw new PinError(
      file,
      'kind.nodeImage',
      `Kubernetes ${minor} differs from component kubernetes (${kube.version})`,
    );
  const comps = v.components;
  if (!isRecord(comps)) throw new PinError(file, 'kind.components', 'must be a map');
  checkKeys(file, 'kind.components', comps, [...KIND_COMPONENTS], [...KIND_COMPONENTS]);
  const components = Object.fromEntries(
    KIND_COMPONENTS.map((n) => [n, parseComponent(file, n, comps[n], built)]),
  ) as KindPins['components'];
  if (v.local === undefined) return { version, nodeImage, components };
  return { version, nodeImage, components, local: parseLocal(file, v.local, kube) };
}
