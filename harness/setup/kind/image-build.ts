/**
 * Building images without a registry: the Debian root file system by debootstrap (then `docker import`), and each
 * ImageSpec with the legacy builder (DOCKER_BUILDKIT=0: FROM scratch or the local Debian image, nothing pulled).
 * Every image carries its recipe digest in a label: an image whose label matches is cached and not built again.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../../exec/checked.ts';
import type { Runner } from '../../exec/runner.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { type ImageSpec, RECIPE_LABEL, dockerfile } from './images.ts';

export interface DockerContext {
  run: Runner;
  /** DOCKER_HOST of skyprobe's engine, or nothing (the engine the docker CLI finds itself). */
  env: Record<string, string>;
  log: string;
  /** Scratch folders for build contexts. */
  workDir: string;
}

export const dockerRunner =
  (d: DockerContext): Runner =>
  (file, args, o) =>
    d.run(file, args, { logFile: d.log, ...o, env: { ...o?.env, ...d.env, DOCKER_BUILDKIT: '0' } });

export function docker(d: DockerContext, args: string[], what: string, o: { timeoutMs?: number; input?: string } = {}) {
  return runChecked(dockerRunner(d), ['docker', ...args], {
    what,
    timeoutMs: o.timeoutMs ?? TIMEOUTS.imageBuild,
    input: o.input,
    logFile: d.log,
    hint: `see ${d.log}`,
  });
}

/** The recipe label of an image, or undefined when the engine has no such image. */
export async function imageRecipe(d: DockerContext, name: string): Promise<string | undefined> {
  const res = await dockerRunner(d)(
    'docker',
    ['image', 'inspect', '--format', `{{index .Config.Labels "${RECIPE_LABEL}"}}`, name],
    { timeoutMs: TIMEOUTS.dockerInspect },
  );
  const v = res.output.trim();
  return res.exitCode === 0 && v !== '' && v !== '<no value>' ? v : undefined;
}

/** The image's id (sha256:...), for recipes that depend on it. */
export async function imageId(d: DockerContext, name: string): Promise<string> {
  return (await docker(d, ['image', 'inspect', '--format', '{{.Id}}', name], 'read an image id')).trim();
}

/** A digest of text parts and files (by content), short. */
export function digest(parts: string[], files: string[] = []): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p}\0`);
  for (const f of files) {
    h.update(`${f}\0${statSync(f).size}\0`);
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export function imageSpecRecipe(spec: ImageSpec, rootfsId: string): string {
  return digest(
    [JSON.stringify(spec), spec.base === 'rootfs' ? rootfsId : 'scratch'],
    spec.files.map((f) => f.source),
  );
}

/** Build one image from its spec (files copied into a fresh context); returns the recipe it carries. */
export async function buildImage(d: DockerContext, spec: ImageSpec, rootfsImage: string, recipe: string) {
  const ctx = join(d.workDir, spec.name.replace(/[/:@]/g, '_'));
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(ctx, { recursive: true });
  spec.files.forEach((f, i) => copyFileSync(f.source, join(ctx, `f${i}`)));
  writeFileSync(join(ctx, 'Dockerfile'), dockerfile(spec, rootfsImage, recipe));
  await docker(d, ['build', '--quiet', '--tag', spec.name, ctx], `build image ${spec.name}`);
  rmSync(ctx, { recursive: true, force: true });
}

/** The Debian mirror apt uses here (deb822 .sources or sources.list), so debootstrap fetches from the same place. */
export function aptMirror(files: { path: string; text: string }[]): string {
  for (const f of files) {
    const uri = f.path.endsWith('.sources')
      ? /^URIs:\s*(\S+)/m.exec(f.text)?.[1]
      : /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m.exec(f.text)?.[1];
    if (uri && !/security/.test(uri)) return uri;
  }
  return 'http://deb.debian.org/debian';
}

export function readAptSources(): { path: string; text: string }[] {
  const paths = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  return paths.filter((p) => existsSync(p)).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}
