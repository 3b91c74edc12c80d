/**
 * Where setup keeps what it builds: outside the repository, versioned, shared by reruns, tests and CI on one
 * machine. Layout (root = $SKYPROBE_CACHE or ~/.cache/skyprobe):
 *   gomod/ gocache/                 GOMODCACHE and GOCACHE, fixed so that every build reuses them
 *   <name>@<version>/bin/           the binaries of a component
 *   <name>@<version>/<files.to>/    data taken from the module cache (CRDs)
 *   <name>@<version>/wrapper/       the wrapper module it was built in
 *   <name>@<version>/component.json what was built from which recipe, and how it verified
 *   logs/<name>@<version>.log       the whole output of its last build
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import type { GoComponent } from './components.ts';

export interface CachePaths {
  root: string;
  gomodcache: string;
  gocache: string;
  logs: string;
}

export function cachePaths(env: NodeJS.ProcessEnv = process.env): CachePaths {
  const root = env.SKYPROBE_CACHE || join(env.HOME || homedir(), '.cache', 'skyprobe');
  return { root, gomodcache: join(root, 'gomod'), gocache: join(root, 'gocache'), logs: join(root, 'logs') };
}

export function componentDir(paths: CachePaths, c: Pick<GoComponent, 'name' | 'version'>): string {
  return join(paths.root, `${c.name}@${c.version}`);
}

export function componentLog(paths: CachePaths, c: Pick<GoComponent, 'name' | 'version'>): string {
  return join(paths.logs, `${c.name}@${c.version}.log`);
}

/** Path of one built binary. */
export function binaryPath(paths: CachePaths, c: Pick<GoComponent, 'name' | 'version'>, binary: string): string {
  return join(componentDir(paths, c), 'bin', binary);
}

export interface VerifiedBinary {
  name: string;
  path: string;
  /** What the version command printed (first matching line), or the build-info line. */
  verified: string;
}

/** component.json: the record of a build. */
export interface ComponentManifest {
  name: string;
  version: string;
  recipe: string;
  goVersion: string;
  builtAt: string;
  buildSeconds: number;
  binaries: VerifiedBinary[];
  files: string[];
}

/** Files of a folder, recursively, as sorted relative paths. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * A digest of everything that decides what a build produces: the component's pin entry, the contents of its
 * own sources, and the Go toolchain's major.minor. A change to any of them makes the cache miss.
 */
export function recipeDigest(c: GoComponent, repoRoot: string, goVersion: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(c));
  h.update(`\0go${goVersion.split('.').slice(0, 2).join('.')}`);
  if (c.sources) {
    const dir = join(repoRoot, c.sources);
    for (const f of listFiles(dir)) {
      h.update(`\0${f}\0`);
      h.update(readFileSync(join(dir, f)));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export function readManifest(
  paths: CachePaths,
  c: Pick<GoComponent, 'name' | 'version'>,
): ComponentManifest | undefined {
  const file = join(componentDir(paths, c), 'component.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ComponentManifest;
  } catch {
    return undefined;
  }
}

export function writeManifest(paths: CachePaths, m: ComponentManifest): void {
  const dir = componentDir(paths, m);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'component.json'), `${JSON.stringify(m, null, 2)}\n`);
}

/** Why a component must be built, or undefined when the cache holds exactly what the recipe makes. */
export function cacheMiss(paths: CachePaths, c: GoComponent, recipe: string): string | undefined {
  const m = readManifest(paths, c);
  if (!m) return 'not built yet';
  if (m.recipe !== recipe) return 'its recipe changed';
  for (const b of c.binaries) {
    const p = binaryPath(paths, c, b.name);
    if (!existsSync(p) || statSync(p).size === 0) return `binary ${b.name} is missing`;
  }
  for (const f of c.files) if (!existsSync(join(componentDir(paths, c), f.to))) return `files ${f.to} are missing`;
  return undefined;
}
