/**
 * The compiled harness: `npm run build` (run by `npm ci`, through package.json's prepare) compiles harness/'s
 * TypeScript ahead of time into dist/ (tsconfig.build.json; scripts/build.mjs), so that the CLI and the pod runner
 * start without compiling at every start. The rule that keeps stale code from running: dist/ counts only while no
 * file it is built from (each .ts under harness/ but the tests, the tsconfig files) is newer than the moment its
 * build began, as recorded in dist/build.json. Otherwise the bins run the sources through tsx, as before.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = 'dist';
/** Written last by a build: `{ startedAt }`, the time (ms) before the build read any source. */
export const BUILD_RECORD = 'build.json';

/** What tsconfig.build.json leaves out of the build: tests, test support, vitest's config (compiled.test.ts checks). */
const NOT_BUILT = /(\.test\.ts$|^harness\/testing\/|^harness\/vitest\.config\.ts$)/;

/** The files a build reads: every .ts under harness/ that it compiles, and the tsconfig files. */
export function buildInputs(root = ROOT) {
  const files = ['tsconfig.json', 'tsconfig.build.json'].map((f) => join(root, f));
  for (const e of readdirSync(join(root, 'harness'), { recursive: true, withFileTypes: true })) {
    const file = join(e.parentPath ?? e.path, e.name);
    if (e.isFile() && e.name.endsWith('.ts') && !NOT_BUILT.test(relative(root, file))) files.push(file);
  }
  return files;
}

/**
 * Whether dist/ may run: `{ fresh: true }`, or `{ fresh: false, reason }` naming what is missing or the first
 * input found newer than the build.
 */
export function buildState(root = ROOT) {
  let startedAt;
  try {
    startedAt = JSON.parse(readFileSync(join(root, DIST, BUILD_RECORD), 'utf8')).startedAt;
  } catch {
    return { fresh: false, reason: `no build in ${DIST}/ (npm run build)` };
  }
  if (typeof startedAt !== 'number') return { fresh: false, reason: `${DIST}/${BUILD_RECORD} names no build time` };
  for (const f of buildInputs(root)) {
    let mtime;
    try {
      mtime = statSync(f).mtimeMs;
    } catch {
      continue; // a tsconfig that does not exist is not newer
    }
    if (mtime >= startedAt) return { fresh: false, reason: `${relative(root, f)} changed after the last build` };
  }
  return { fresh: true };
}

/**
 * Import a harness module: its compiled form when dist/ is fresh, else its source through tsx's loader (with a
 * one-line note on a terminal, since that start is slower). `path` is the source's path, e.g. 'harness/cli/main.ts'.
 */
export async function importHarness(path, root = ROOT) {
  const state = process.env.SKYPROBE_FROM_SOURCE
    ? { fresh: false, reason: 'SKYPROBE_FROM_SOURCE is set' }
    : buildState(root);
  if (state.fresh) return import(pathToFileURL(join(root, DIST, path.replace(/\.ts$/, '.js'))).href);
  if (process.stderr.isTTY)
    process.stderr.write(
      `skyprobe: ${state.reason}; running the TypeScript through tsx (npm run build starts faster)\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, path)).href);
}
