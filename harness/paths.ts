/** Where skyprobe's own files are. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder with package.json). */
export function repoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}
