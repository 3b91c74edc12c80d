/**
 * npm run build (also package.json's prepare, so npm ci runs it): compile harness/'s TypeScript into dist/ with tsc
 * (tsconfig.build.json: no type check, which is npm run typecheck's job; `.ts` imports rewritten to `.js`), one .js
 * per source. Two packages made of hundreds of small modules are bundled, each into one file of dist/vendor/ with
 * esbuild, and the compiled imports of them point there: loading the Kubernetes client module by module costs
 * ~350 ms at every start, its bundle ~100 ms; execa ~80 ms, bundled ~30 ms. The build compiles into a fresh folder
 * and swaps it in, then records when it began (bin/compiled.mjs decides from that whether dist/ may run). A source
 * that does not compile fails the build, and npm ci with it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { BUILD_RECORD, DIST, ROOT } from '../bin/compiled.mjs';

/** Packages bundled into dist/vendor/<file>. */
const VENDOR = { '@kubernetes/client-node': 'kubernetes-client-node.js', execa: 'execa.js' };

const startedAt = Date.now();
const out = join(ROOT, `${DIST}.build-${process.pid}`);
const fail = (line) => {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`error: ${line}\n`);
  process.exit(1);
};
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (r.status !== 0) fail(`tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})`);

for (const [pkg, file] of Object.entries(VENDOR))
  await build({
    stdin: { contents: `export * from '${pkg}';`, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Whitespace and syntax only: the names stay, so a stack trace through the bundle still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    // The CommonJS parts of a bundle require node's modules; an ES module has no require of its own.
    banner: {
      js: "import { createRequire as __skyprobeRequire } from 'node:module'; const require = __skyprobeRequire(import.meta.url);",
    },
    outfile: join(out, 'vendor', file),
    logLevel: 'warning',
  }).catch((err) => fail(`esbuild could not bundle ${pkg}: ${err.message}`));

// The specifier of a static import or export (`from '...'`), a dynamic import, or an import for its effects alone.
const names = Object.keys(VENDOR)
  .map((p) => p.replace(/[/]/g, '\\/'))
  .join('|');
const specifier = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)(['"])(${names})\\2`, 'g');
for (const e of readdirSync(join(out, 'harness'), { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !e.name.endsWith('.js')) continue;
  const file = join(e.parentPath ?? e.path, e.name);
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(specifier, (_m, before, q, pkg) => {
    const to = relative(dirname(file), join(out, 'vendor', VENDOR[pkg]));
    return `${before}${q}${to.startsWith('.') ? to : `./${to}`}${q}`;
  });
  if (rewritten !== text) writeFileSync(file, rewritten);
}

writeFileSync(join(out, BUILD_RECORD), `${JSON.stringify({ startedAt, builtAt: Date.now() })}\n`);
rmSync(join(ROOT, DIST), { recursive: true, force: true });
renameSync(out, join(ROOT, DIST));
process.stderr.write(`built ${DIST}/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
