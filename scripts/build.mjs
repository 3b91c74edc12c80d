/**
 * npm run build (also package.json's prepare, so npm ci runs it): compile harness/'s TypeScript into dist/ with tsc
 * (tsconfig.build.json: no type check, which is npm run typecheck's job; `.ts` imports rewritten to `.js`). It
 * compiles into a fresh folder and swaps it in, then records when it began (bin/compiled.mjs decides from that
 * whether dist/ may run). A source that does not compile fails the build, and npm ci with it.
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUILD_RECORD, DIST, ROOT } from '../bin/compiled.mjs';

const startedAt = Date.now();
const out = join(ROOT, `${DIST}.build-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(out, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (r.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`error: tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})\n`);
  process.exit(1);
}
writeFileSync(join(out, BUILD_RECORD), `${JSON.stringify({ startedAt, builtAt: Date.now() })}\n`);
rmSync(join(ROOT, DIST), { recursive: true, force: true });
renameSync(out, join(ROOT, DIST));
process.stderr.write(`built ${DIST}/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
