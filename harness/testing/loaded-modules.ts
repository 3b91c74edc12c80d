/** Run the skyprobe CLI and record every module it loads (a module hook that node runs before the bin). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../paths.ts';

/** Appends the URL of every module loaded to the file SKYPROBE_LOADED names. */
const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.SKYPROBE_LOADED, url + '\\n'); return next(url, context); }`;
const tracer = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`,
)}`;

/**
 * `node bin/skyprobe.mjs ...args`: its result, and the modules it loaded inside the repository as paths relative to
 * it (`harness/cli/main.ts`, `dist/harness/cli/main.js`, `node_modules/commander/index.js`, ...), in load order.
 */
export async function cliModules(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'skyprobe-loaded-'));
  try {
    const file = join(dir, 'loaded.txt');
    const r = await execa('node', ['--import', tracer, join(repoRoot(), 'bin', 'skyprobe.mjs'), ...args], {
      reject: false,
      env: { NO_COLOR: '1', SKYPROBE_LOADED: file, ...env },
    });
    const root = `file://${repoRoot()}/`;
    const modules = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter((u) => u.startsWith(root))
      .map((u) => u.slice(root.length));
    return { ...r, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
