/**
 * `skyprobe setup` and `skyprobe setup --check`: install the Debian packages, build every pinned Go component
 * that the cache lacks (two at a time), verify each, and report. Idempotent: when warm it builds nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SkyprobeError } from '../errors.ts';
import { type Runner, execRunner } from '../exec/runner.ts';
import { type Progress, silentProgress } from '../log.ts';
import { type BuildContext, buildComponent } from './build-go.ts';
import {
  type CachePaths,
  binaryPath,
  cacheMiss,
  cachePaths,
  componentLog,
  readManifest,
  recipeDigest,
} from './cache.ts';
import { type GoComponent, type PinFile, loadPinFile } from './components.ts';
import { type DebianPackage, aptLog, debianStatus, installPackages, missingPackages } from './debs.ts';
import { checkDisk, checkGo } from './preflight.ts';
import { verifyBinary } from './verify.ts';
import { type KindSetupResult, NO_ENGINE_HINT, dockerTarget, kindSetup } from './kind/kind-setup.ts';

export interface SetupOptions {
  repoRoot: string;
  run?: Runner;
  progress?: Progress;
  env?: NodeJS.ProcessEnv;
  /** Rebuild even what the cache holds. */
  rebuild?: boolean;
  /** Only these components (names from the pin file). */
  only?: string[];
  /**
   * Also the kind path's components (`for: kind`), images and node image (`setup --kind`, setup/kind/).
   * 'if-engine' (npm test): the images only where a Docker engine answers; elsewhere a notice, no failure.
   */
  kind?: boolean | 'if-engine';
  /**
   * With kind: start skyprobe's own Docker engine (`setup --kind --engine`) once its Debian packages are installed
   * and before the images are made.
   */
  startEngine?: () => Promise<void>;
  /** Parallel component builds (default 2: one machine of this kind has 2 cores). */
  concurrency?: number;
  isRoot?: boolean;
  /** Disk a cold build needs free (bytes). */
  diskNeeded?: number;
}

export interface ComponentStatus {
  name: string;
  pinned: string;
  state: 'cached' | 'built' | 'missing' | 'failed';
  /** Verification evidence per binary. */
  verified: { binary: string; evidence: string }[];
  detail?: string;
  buildSeconds?: number;
}

export interface SetupResult {
  goVersion: string;
  debian: { installed: string[]; missing: string[]; packages?: DebianPackage[] };
  /** The pin file's Go (`go:`), beside goVersion, what is on PATH. */
  goPinned?: string;
  components: ComponentStatus[];
  /** `setup --kind`: the images and node image made for the kind provider. */
  kind?: KindSetupResult;
  elapsedMs: number;
}

export const PIN_FILE = 'fixtures/components.yaml';
/** Measured cold build: see docs/architecture.md. The check keeps a margin above it. */
export const COLD_BUILD_DISK = 20 * 2 ** 30;

function selected(pins: PinFile, only?: string[], kind: boolean | 'if-engine' = false): GoComponent[] {
  if (!only || only.length === 0) return pins.components.filter((c) => kind || c.for !== 'kind');
  const names = pins.components.map((c) => c.name);
  for (const n of only)
    if (!names.includes(n))
      throw new SkyprobeError(`unknown component "${n}"`, { hint: `choose from: ${names.join(', ')}` });
  return pins.components.filter((c) => only.includes(c.name));
}

/** Run `body` over items, at most `limit` at a time; after the first failure no new item starts. */
async function pool<T>(items: T[], limit: number, body: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  let failure: unknown;
  const worker = async () => {
    while (queue.length > 0 && failure === undefined) {
      const item = queue.shift() as T;
      try {
        await body(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== undefined) throw failure;
}

export async function setup(o: SetupOptions): Promise<SetupResult> {
  const t0 = Date.now();
  const run = o.run ?? execRunner;
  const progress = o.progress ?? silentProgress;
  const paths = cachePaths(o.env);
  const pins = loadPinFile(join(o.repoRoot, PIN_FILE));
  const components = selected(pins, o.only, o.kind);
  mkdirSync(paths.logs, { recursive: true });

  const wanted = [...Object.keys(pins.debian), ...(o.kind ? Object.keys(pins.kind?.local?.debian ?? {}) : [])];
  const missing = await missingPackages(run, wanted);
  await installPackages(missing, {
    run,
    progress,
    logFile: aptLog(paths.logs),
    isRoot: o.isRoot ?? process.getuid?.() === 0,
  });

  const goVersion = await checkGo(run, pins.go);
  const goDirective = `${pins.go}.0`;
  const statuses = new Map<string, ComponentStatus>();
  const toBuild: { c: GoComponent; recipe: string; why: string }[] = [];
  for (const c of components) {
    const recipe = recipeDigest(c, o.repoRoot, goVersion);
    const why = o.rebuild ? 'rebuild asked for' : cacheMiss(paths, c, recipe);
    if (why === undefined) {
      const m = readManifest(paths, c);
      statuses.set(c.name, {
        name: c.name,
        pinned: c.version,
        state: 'cached',
        verified: (m?.binaries ?? []).map((b) => ({ binary: b.name, evidence: b.verified })),
        buildSeconds: m?.buildSeconds,
      });
    } else toBuild.push({ c, recipe, why });
  }
  if (toBuild.length > 0) {
    mkdirSync(paths.root, { recursive: true });
    checkDisk(paths.root, o.diskNeeded ?? COLD_BUILD_DISK);
    for (const { c, why } of toBuild)
      progress.info(`${c.name}@${c.version} will be built: ${why} (log: ${componentLog(paths, c)})`);
  }
  const ctx: BuildContext = { run, paths, repoRoot: o.repoRoot, progress, goDirective, goVersion };
  await pool(toBuild, o.concurrency ?? 2, async ({ c, recipe }) => {
    const m = await buildComponent(ctx, c, recipe);
    statuses.set(c.name, {
      name: c.name,
      pinned: c.version,
      state: 'built',
      verified: m.binaries.map((b) => ({ binary: b.name, evidence: b.verified })),
      buildSeconds: m.buildSeconds,
    });
  });
  if (o.kind && o.startEngine) await o.startEngine();
  const imagesHere =
    o.kind === true || (o.kind === 'if-engine' && (await dockerTarget(run, paths, o.env)) !== undefined);
  if (o.kind === 'if-engine' && !imagesHere)
    progress.info(`kind images not made: no Docker engine answers here (${NO_ENGINE_HINT})`);
  const kind = imagesHere
    ? await kindSetup(pins, { run, progress, paths, repoRoot: o.repoRoot, env: o.env })
    : undefined;
  return {
    goVersion,
    debian: { installed: missing, missing: [] },
    components: components.map((c) => statuses.get(c.name) as ComponentStatus),
    ...(kind ? { kind } : {}),
    elapsedMs: Date.now() - t0,
  };
}

/** `setup --check`: what is there, verified now by running each version command; builds nothing. */
export async function checkSetup(
  o: SetupOptions,
): Promise<SetupResult & { ok: boolean; kindPins?: PinFile['kind']; problems: string[] }> {
  const t0 = Date.now();
  const run = o.run ?? execRunner;
  const paths = cachePaths(o.env);
  const pins = loadPinFile(join(o.repoRoot, PIN_FILE));
  // Every Debian package with its installed version; missing, or installed without its commands, is not ok.
  const packages = await debianStatus(run, pins.debian);
  const missing = packages.filter((p) => p.state !== 'installed').map((p) => p.name);
  const goVersion = await checkGo(run, pins.go);
  const components: ComponentStatus[] = [];
  for (const c of selected(pins, o.only, o.kind)) {
    const why = cacheMiss(paths, c, recipeDigest(c, o.repoRoot, goVersion));
    if (why !== undefined) {
      components.push({ name: c.name, pinned: c.version, state: 'missing', verified: [], detail: why });
      continue;
    }
    const status: ComponentStatus = { name: c.name, pinned: c.version, state: 'cached', verified: [] };
    try {
      for (const b of c.binaries)
        status.verified.push({ binary: b.name, evidence: await verifyBinary(run, c, b, binaryPath(paths, c, b.name)) });
    } catch (err) {
      status.state = 'failed';
      status.detail = (err as Error).message;
    }
    components.push(status);
  }
  const ok = missing.length === 0 && components.every((c) => c.state === 'cached');
  const installed = packages.filter((p) => p.state === 'installed').map((p) => p.name);
  // One line per thing that is not as pinned, for the error `setup --check` ends with.
  const problems = [
    ...packages.filter((p) => p.state !== 'installed').map((p) => `debian ${p.name}: ${p.detail}`),
    ...components.filter((c) => c.state !== 'cached').map((c) => `${c.name}@${c.pinned}: ${c.state} (${c.detail})`),
  ];
  return {
    problems,
    kindPins: pins.kind,
    goVersion,
    goPinned: pins.go,
    debian: { installed, missing, packages },
    components,
    elapsedMs: Date.now() - t0,
    ok,
  };
}

/** Path of a built binary, for the lab; a clear error pointing at setup when it is not there. */
export function componentBinary(pins: PinFile, binary: string, paths: CachePaths = cachePaths()): string {
  const c = pins.components.find((x) => x.binaries.some((b) => b.name === binary));
  if (!c) throw new SkyprobeError(`no pinned component provides the binary "${binary}"`);
  const why = cacheMiss(paths, c, readManifest(paths, c)?.recipe ?? '');
  if (why !== undefined)
    throw new SkyprobeError(`${c.name}@${c.version} is not built (${why})`, { hint: 'run: npx skyprobe setup' });
  return binaryPath(paths, c, binary);
}
