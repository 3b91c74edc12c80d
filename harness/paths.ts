/** Where skyprobe's own files are. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The repository root (the folder with package.json): the nearest one above this module, which is
 * harness/paths.ts in the sources and dist/harness/paths.js in the compiled CLI (dist/ holds no package.json).
 */
export function repoRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  root = dir;
  return root;
}
