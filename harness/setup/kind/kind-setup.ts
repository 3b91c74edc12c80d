/**
 * `skyprobe setup --kind`, after the Go components (kind, kubernetes-node, pebble are `for: kind` components):
 * the engine's Debian packages, the node's Debian root file system, the images and the node image. Each step is
 * cached (an image's recipe label, the root file system's stamp) and verified; nothing is pulled. It needs a
 * Docker engine that answers: an existing one is used as it is; otherwise the error says how to start skyprobe's
 * own (`setup --kind --engine`), which is never started unasked.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import { runChecked } from '../../exec/checked.ts';
import type { Runner } from '../../exec/runner.ts';
import { type Progress, timedStep } from '../../log.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { type CachePaths, binaryPath, componentDir } from '../cache.ts';
import type { PinFile } from '../components.ts';
import type { KindLocalPins } from '../kind-pins.ts';
import { enginePaths } from './engine-config.ts';
import { engineAnswers, runningEngine } from './engine.ts';
import {
  type DockerContext,
  aptMirror,
  buildImage,
  digest,
  docker,
  dockerRunner,
  imageId,
  imageRecipe,
  imageSpecRecipe,
  readAptSources,
} from './image-build.ts';
import { type ImageSpec, RECIPE_LABEL, ROOTFS_IMAGE, kindImages } from './images.ts';
import {
  CNI_CONFIG_PATH,
  PREPARE_NODE,
  START_CONTAINERD,
  cniConfig,
  kubeadmPause,
  sandboxImage,
} from './node-image.ts';

export interface KindImageStatus {
  name: string;
  state: 'cached' | 'built';
  id: string;
}

export interface KindSetupResult {
  dockerHost?: string;
  engine: string;
  rootfs: string;
  images: KindImageStatus[];
  nodeImage: KindImageStatus;
}

/** Where the Docker CLI should go: DOCKER_HOST as given, the default engine, or skyprobe's own when it runs. */
export async function dockerTarget(
  run: Runner,
  paths: CachePaths,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ env: Record<string, string>; version: string; own: boolean } | undefined> {
  const found = await engineAnswers(run, env.DOCKER_HOST);
  if (found) return { env: env.DOCKER_HOST ? { DOCKER_HOST: env.DOCKER_HOST } : {}, version: found, own: false };
  const own = await runningEngine(run, enginePaths(paths));
  if (!own) return undefined;
  return { env: { DOCKER_HOST: own.dockerHost }, version: (await engineAnswers(run, own.dockerHost)) ?? '', own: true };
}

export const NO_ENGINE_HINT =
  "start skyprobe's own engine (dockerd in a network namespace of its own): npx skyprobe setup --kind --engine; or start Docker and rerun";

function rootfsDir(paths: CachePaths, local: KindLocalPins): string {
  return join(paths.root, 'kind-rootfs', `${local.rootfs.suite}-${digest(local.rootfs.packages)}`);
}

export async function kindSetup(
  pins: PinFile,
  o: { run: Runner; progress: Progress; paths: CachePaths; repoRoot: string; env?: NodeJS.ProcessEnv },
): Promise<KindSetupResult> {
  const { run, progress, paths } = o;
  const kind = pins.kind;
  if (!kind?.local)
    throw new SkyprobeError('the pin file has no kind.local section', { hint: 'fixtures/components.yaml pins it' });
  const local = kind.local;
  const target = await dockerTarget(run, paths, o.env);
  if (!target) throw new SkyprobeError('no Docker engine answers (docker info failed)', { hint: NO_ENGINE_HINT });
  const log = join(paths.logs, 'kind-images.log');
  mkdirSync(paths.logs, { recursive: true });
  const d: DockerContext = { run, env: target.env, log, workDir: join(paths.root, 'kind-build') };
  mkdirSync(d.workDir, { recursive: true });
  const bin = (component: string, binary: string) => {
    const c = pins.components.find((x) => x.name === component);
    if (!c) throw new SkyprobeError(`the pin file has no component ${component}`);
    const p = binaryPath(paths, c, binary);
    if (!existsSync(p))
      throw new SkyprobeError(`${component}@${c.version} is not built (${binary} missing)`, {
        hint: 'run: npx skyprobe setup --kind',
      });
    return p;
  };

  // 1. The Debian root file system, then the base image.
  const rootfs = rootfsDir(paths, local);
  const stamp = join(rootfs, '.skyprobe-complete');
  if (!existsSync(stamp)) {
    const mirror = aptMirror(readAptSources());
    await timedStep(progress, 'kind', `debootstrap ${local.rootfs.suite} from ${mirror} (log ${log})`, async () => {
      rmSync(rootfs, { recursive: true, force: true });
      mkdirSync(rootfs, { recursive: true });
      await runChecked(
        run,
        [
          'debootstrap',
          '--variant=minbase',
          `--include=${local.rootfs.packages.join(',')}`,
          local.rootfs.suite,
          rootfs,
          mirror,
        ],
        { what: 'debootstrap the node root file system', timeoutMs: TIMEOUTS.debootstrap, logFile: log },
      );
      for (const f of ['usr/bin/containerd', 'usr/sbin/runc', 'usr/bin/jq', 'lib/systemd/systemd'])
        if (!existsSync(join(rootfs, f)))
          throw new SkyprobeError(`the debootstrapped root file system has no /${f}`, { hint: `see ${log}` });
      writeFileSync(stamp, `${new Date().toISOString()}\n`);
    });
  }
  const rootfsImage = ROOTFS_IMAGE(local.rootfs.suite);
  const rootfsRecipe = digest([local.rootfs.suite, ...local.rootfs.packages, readFileSync(stamp, 'utf8')]);
  if ((await imageRecipe(d, rootfsImage)) !== rootfsRecipe)
    await timedStep(progress, 'kind', `image ${rootfsImage} (docker import)`, () =>
      runChecked(
        dockerRunner(d),
        [
          'sh',
          '-c',
          `tar -C "$0" -c . | docker import --change "LABEL ${RECIPE_LABEL}=${rootfsRecipe}" - "$1"`,
          rootfs,
          rootfsImage,
        ],
        { what: `import ${rootfsImage}`, timeoutMs: TIMEOUTS.imageBuild, logFile: log },
      ),
    );
  const rootfsId = await imageId(d, rootfsImage);

  // 2. The images, from the pinned builds.
  const baseFiles = join(componentDir(paths, { name: 'kind', version: kind.version }), 'base-files');
  const kubeadm = bin('kubernetes-node', 'kubeadm');
  const kubeVersion = pins.components.find((c) => c.name === 'kubernetes')?.version ?? '';
  const kubeadmList = await runChecked(
    run,
    [kubeadm, 'config', 'images', 'list', '--kubernetes-version', kubeVersion],
    {
      what: 'list the images kubeadm asks for',
      logFile: log,
    },
  );
  const pauseTags = [
    sandboxImage(readFileSync(join(baseFiles, 'etc/containerd/config.toml'), 'utf8')),
    kubeadmPause(kubeadmList),
  ].filter((x, i, a): x is string => x !== undefined && a.indexOf(x) === i);
  const specs = kindImages(pins, bin, {
    pauseTags,
    echoServer: join(o.repoRoot, 'harness', 'pod-runner', 'echo-server.mjs'),
    node: process.execPath,
  });
  const images: KindImageStatus[] = [];
  for (const spec of specs) images.push(await ensureImage(d, progress, spec, rootfsImage, rootfsId));

  // 3. The node image.
  const nodeImage = await ensureNodeImage(d, progress, {
    name: local.nodeImage,
    rootfsImage,
    baseFiles,
    kubeVersion,
    binaries: {
      kubelet: bin('kubernetes-node', 'kubelet'),
      kubeadm,
      kubectl: bin('kubernetes', 'kubectl'),
    },
    images: specs.filter((s) => s.inNode),
    // only the images the node holds: a change to Pebble's or the reaper's image does not rebuild the node
    imageIds: images.filter((_, i) => specs[i]?.inNode).map((i) => i.id),
    rootfsId,
  });
  return {
    dockerHost: target.env.DOCKER_HOST,
    engine: `${target.own ? "skyprobe's own engine" : 'Docker'} ${target.version}`,
    rootfs,
    images,
    nodeImage,
  };
}

async function ensureImage(
  d: DockerContext,
  progress: Progress,
  spec: ImageSpec,
  rootfsImage: string,
  rootfsId: string,
): Promise<KindImageStatus> {
  const recipe = imageSpecRecipe(spec, rootfsId);
  if ((await imageRecipe(d, spec.name)) === recipe)
    return { name: spec.name, state: 'cached', id: await imageId(d, spec.name) };
  await timedStep(progress, 'kind', `image ${spec.name}`, async () => {
    await buildImage(d, spec, rootfsImage, recipe);
    if ((await imageRecipe(d, spec.name)) !== recipe)
      throw new SkyprobeError(`image ${spec.name} was built but does not carry its recipe`, { hint: `see ${d.log}` });
  });
  return { name: spec.name, state: 'built', id: await imageId(d, spec.name) };
}

interface NodeImageInput {
  name: string;
  rootfsImage: string;
  baseFiles: string;
  kubeVersion: string;
  binaries: { kubelet: string; kubeadm: string; kubectl: string };
  images: ImageSpec[];
  imageIds: string[];
  rootfsId: string;
}

async function ensureNodeImage(d: DockerContext, progress: Progress, n: NodeImageInput): Promise<KindImageStatus> {
  const recipe = digest(
    [n.kubeVersion, n.rootfsId, PREPARE_NODE, cniConfig(), ...n.images.map((i) => i.name), ...n.imageIds],
    [n.binaries.kubelet, n.binaries.kubeadm, n.binaries.kubectl],
  );
  if ((await imageRecipe(d, n.name)) === recipe) return { name: n.name, state: 'cached', id: await imageId(d, n.name) };
  const step = (name: string, body: () => Promise<unknown>) => timedStep(progress, 'kind node image', name, body);
  const id = (
    await docker(
      d,
      ['run', '--detach', '--privileged', '--entrypoint=sleep', n.rootfsImage, 'infinity'],
      'start the node build container',
    )
  ).trim();
  const exec = (args: string[], what: string, o: { input?: string; timeoutMs?: number } = {}) =>
    docker(d, ['exec', ...(o.input !== undefined ? ['-i'] : []), id, ...args], what, {
      input: o.input,
      timeoutMs: o.timeoutMs ?? TIMEOUTS.nodeImageStep,
    });
  try {
    await step("kind's base files, kubelet, kubeadm, kubectl, CNI config", async () => {
      await runChecked(dockerRunner(d), ['sh', '-c', 'tar -C "$0" -c . | docker cp - "$1":/', n.baseFiles, id], {
        what: "copy kind's base files",
        logFile: d.log,
      });
      for (const [b, p] of Object.entries(n.binaries)) await docker(d, ['cp', p, `${id}:/usr/bin/${b}`], `copy ${b}`);
      await exec(['mkdir', '-p', '/etc/cni/net.d'], 'make the CNI folder');
      await exec(['sh', '-c', `cat > ${CNI_CONFIG_PATH}`], 'write the CNI config', { input: cniConfig() });
      await exec(['sh', '-c', 'cat > /kind/version'], 'write /kind/version', { input: n.kubeVersion });
    });
    await step('prepare the base (units, containerd, kubelet flags)', () =>
      exec(['bash'], 'prepare the node', { input: PREPARE_NODE }),
    );
    await step(`import ${n.images.length} images into the node's containerd`, async () => {
      await exec(['bash', '-c', START_CONTAINERD], 'start containerd in the build container');
      await exec(
        [
          'bash',
          '-c',
          'for i in $(seq 50); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1',
        ],
        'wait for containerd in the build container',
      );
      await runChecked(
        dockerRunner(d),
        [
          'sh',
          '-c',
          'docker save "$@" | docker exec -i "$0" ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests -',
          id,
          ...n.images.map((i) => i.name),
        ],
        { what: "import the images into the node's containerd", timeoutMs: TIMEOUTS.imageImport, logFile: d.log },
      );
      const listed = await exec(['ctr', '--namespace=k8s.io', 'images', 'list', '--quiet'], 'list imported images');
      const want = n.images.map((i) => (i.name.split('/')[0]?.includes('.') ? i.name : `docker.io/${i.name}`));
      const missing = want.filter((w) => !listed.split('\n').includes(w));
      if (missing.length > 0)
        throw new SkyprobeError(`the node's containerd lacks ${missing.join(', ')} after the import`, {
          hint: `see ${d.log}`,
        });
      await exec(
        ['bash', '-c', 'pkill containerd; rm -f /tmp/containerd.log'],
        'stop containerd in the build container',
      );
    });
    await step(`commit ${n.name}`, async () => {
      const staged = `${n.name}-commit`;
      await docker(
        d,
        [
          'commit',
          '--change',
          'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]',
          '--change',
          'ENV container=docker',
          id,
          staged,
        ],
        'commit the node image',
      );
      // Docker 20.10's commit takes no STOPSIGNAL: one more layer sets kind's (systemd stops on SIGRTMIN+3).
      const ctx = join(d.workDir, 'node-image');
      rmSync(ctx, { recursive: true, force: true });
      mkdirSync(ctx, { recursive: true });
      writeFileSync(
        join(ctx, 'Dockerfile'),
        `FROM ${staged}\nSTOPSIGNAL SIGRTMIN+3\nLABEL ${RECIPE_LABEL}=${recipe}\n`,
      );
      await docker(d, ['build', '--quiet', '--tag', n.name, ctx], 'finish the node image');
      await docker(d, ['rmi', staged], 'remove the staged commit');
    });
  } finally {
    await dockerRunner(d)('docker', ['rm', '--force', '--volumes', id], { timeoutMs: TIMEOUTS.kindTeardown });
  }
  if ((await imageRecipe(d, n.name)) !== recipe)
    throw new SkyprobeError(`node image ${n.name} does not carry its recipe`, { hint: `see ${d.log}` });
  return { name: n.name, state: 'built', id: await imageId(d, n.name) };
}
