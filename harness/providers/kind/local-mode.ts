/**
 * How a kind run reaches Docker, kind and its images on this machine. Three cases:
 * - a Docker engine answers (a CI runner's, a laptop's): it is used as it is;
 * - none answers, but skyprobe's own engine runs (`setup --kind --engine`): DOCKER_HOST points at its socket,
 *   kind runs inside its network namespace (kind binds the ports it publishes there), published ports listen on
 *   the engine end of the link, and testcontainers is told that address as the host;
 * - neither: the provider is unavailable, with the one-line fix; no daemon is ever started unasked.
 * The node image is the one `setup --kind` assembled when the engine holds it (then the manifests come from
 * files: nothing can be fetched), else the pin file's kindest/node by digest (manifests from their release URLs).
 * SKYPROBE_KIND_MANIFESTS=files|urls overrides the choice.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';
import { binaryPath, cachePaths } from '../../setup/cache.ts';
import type { PinFile } from '../../setup/components.ts';
import { ENGINE_NETNS, enginePaths } from '../../setup/kind/engine-config.ts';
import { engineAnswers, runningEngine } from '../../setup/kind/engine.ts';
import { REAPER_IMAGE, certManagerImages, etcdImage } from '../../setup/kind/images.ts';
import { componentDir } from '../../setup/cache.ts';
import type { ManifestFiles } from './install-plan.ts';
import type { LocalNode } from './kind-config.ts';
import { NO_ENGINE_HINT } from '../../setup/kind/kind-setup.ts';
import { TIMEOUTS } from '../../timeouts.ts';

export interface KindMode {
  /** Environment for docker, kind and testcontainers (DOCKER_HOST, TESTCONTAINERS_HOST_OVERRIDE...). */
  env: Record<string, string>;
  /** kind's argv head: the cache's kind, inside the engine's namespace when skyprobe's engine runs. */
  kind: string[];
  kubectl: string;
  engine: string;
  /** The address kind publishes the API server and ports 80/443 on (loopback with an engine of one's own). */
  listenAddress?: string;
  nodeImage: string;
  /** The node image is the one setup assembled: kubeadm patches and a static CNI (kind/kind-config.ts). */
  localNode: boolean;
  manifests: 'files' | 'urls';
}

const onPath = async (run: Runner, cmd: string) =>
  !(await run(cmd, ['--help'], { timeoutMs: TIMEOUTS.toolVersion })).notFound;

/** The KindMode, or a problem and its fix. Read-only: runs docker info, image inspect and --help only. */
export async function kindMode(
  run: Runner,
  pins: PinFile,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KindMode | { problem: string; fix: string }> {
  const paths = cachePaths(env);
  const kindPins = pins.kind;
  if (!kindPins) return { problem: 'the pin file has no kind: section', fix: 'fixtures/components.yaml pins it' };
  const out: Record<string, string> = {};
  let engine: string;
  let nsenter: string[] = [];
  let listenAddress: string | undefined;
  // skyprobe's engine when it runs and DOCKER_HOST names it or nothing; else whatever DOCKER_HOST or the default finds.
  const own = await runningEngine(run, enginePaths(paths));
  const given =
    own && (!env.DOCKER_HOST || env.DOCKER_HOST === own.dockerHost)
      ? undefined
      : await engineAnswers(run, env.DOCKER_HOST);
  if (given) engine = `Docker ${given}${env.DOCKER_HOST ? ` at ${env.DOCKER_HOST}` : ''}`;
  else {
    if (!own) return { problem: 'no Docker engine answers (docker info failed)', fix: NO_ENGINE_HINT };
    engine = `skyprobe's engine (Docker ${await engineAnswers(run, own.dockerHost)}, network namespace ${ENGINE_NETNS})`;
    out.DOCKER_HOST = own.dockerHost;
    out.TESTCONTAINERS_HOST_OVERRIDE = own.address;
    nsenter = ['nsenter', `--net=/run/netns/${ENGINE_NETNS}`];
    listenAddress = own.address;
  }
  // This machine may be a container itself (/.dockerenv): testcontainers would pull alpine to find a gateway.
  if (!out.TESTCONTAINERS_HOST_OVERRIDE && existsSync('/.dockerenv')) out.TESTCONTAINERS_HOST_OVERRIDE = 'localhost';
  const docker = (args: string[]) =>
    run('docker', args, { timeoutMs: TIMEOUTS.dockerInspect, env: { ...out } }).then((r) => r.exitCode === 0);
  const reaper = REAPER_IMAGE(kindPins.version);
  if (!env.RYUK_CONTAINER_IMAGE && (await docker(['image', 'inspect', reaper]))) out.RYUK_CONTAINER_IMAGE = reaper;
  const local = kindPins.local?.nodeImage;
  const localNode = local !== undefined && (await docker(['image', 'inspect', local]));
  const kindComp = pins.components.find((c) => c.name === 'kind');
  const cachedKind = kindComp ? binaryPath(paths, kindComp, 'kind') : undefined;
  const kubeComp = pins.components.find((c) => c.name === 'kubernetes');
  const cachedKubectl = kubeComp ? binaryPath(paths, kubeComp, 'kubectl') : undefined;
  const kind = cachedKind && existsSync(cachedKind) ? cachedKind : 'kind';
  const kubectl =
    (await onPath(run, 'kubectl')) || !cachedKubectl || !existsSync(cachedKubectl) ? 'kubectl' : cachedKubectl;
  const asked = env.SKYPROBE_KIND_MANIFESTS;
  return {
    env: out,
    kind: [...nsenter, kind],
    kubectl,
    engine,
    listenAddress,
    nodeImage: localNode && local ? local : kindPins.nodeImage,
    localNode,
    manifests: asked === 'files' || asked === 'urls' ? asked : localNode ? 'files' : 'urls',
  };
}

/** A Runner that runs `kind` and `kubectl` as the mode says, every command with the mode's environment. */
export function modeRunner(run: Runner, m: KindMode): Runner {
  return (file, args, o) => {
    const env = { ...o?.env, ...m.env };
    if (file === 'kind') {
      const [head, ...rest] = m.kind as [string, ...string[]];
      return run(head, [...rest, ...args], { ...o, env });
    }
    if (file === 'kubectl') return run(m.kubectl, args, { ...o, env });
    return run(file, args, { ...o, env });
  };
}

function need(path: string): string {
  if (!existsSync(path))
    throw new SkyprobeError(`${path} is missing (a manifest the kind provider applies offline)`, {
      hint: 'run: npx skyprobe setup --kind',
    });
  return path;
}

/** The manifests as files: Gateway API's and cert-manager's CRDs as setup copied them, Traefik's from its module. */
export function manifestFiles(pins: PinFile, env: NodeJS.ProcessEnv = process.env): ManifestFiles {
  const paths = cachePaths(env);
  const comp = (name: string) => {
    const c = pins.components.find((x) => x.name === name);
    if (!c) throw new SkyprobeError(`the pin file has no component ${name}`);
    return c;
  };
  const traefik = comp('traefik');
  const module = Object.keys(traefik.require)[0] as string;
  const inModule = (url: string) =>
    join(paths.gomodcache, `${module}@${traefik.version}`, url.split(`/${traefik.version}/`)[1] ?? '');
  const cm = certManagerImages(comp('cert-manager').version);
  return {
    gatewayApi: [need(join(componentDir(paths, comp('gateway-api')), 'crds', 'standard'))],
    traefik: (pins.kind?.components.traefik.manifests ?? []).map((u) => need(inModule(u))),
    certManagerCrds: [need(join(componentDir(paths, comp('cert-manager')), 'crds'))],
    certManager: { controllerImage: cm.controller, solverImage: cm.acmesolver },
  };
}

/** kubeadm's patch for the node image setup built: the etcd and CoreDNS images it tagged. */
export function localNode(pins: PinFile, nodeImage: string): LocalNode {
  const etcd = etcdImage(pins);
  const dns = pins.kind?.components.coredns.image ?? '';
  const split = (image: string) => {
    const i = image.lastIndexOf(':');
    const repo = image.slice(0, i);
    return { repository: repo.slice(0, repo.lastIndexOf('/')), tag: image.slice(i + 1) };
  };
  return { nodeImage, etcd: split(etcd), dns: split(dns) };
}
