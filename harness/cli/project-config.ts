/**
 * The optional project config file, `skyprobe.yaml` in the current directory: settings a project keeps beside its
 * code instead of on every command line. v1 holds one entry, `renderer: CMD` (the `--renderer` of deploy and run:
 * docs/renderer-contract.md); a flag given on the command line wins. A file that does not parse, is no mapping, or
 * has an unknown key or a renderer that is no command is one line naming the file and the fault (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SkyprobeError } from '../errors.ts';

export const PROJECT_CONFIG = 'skyprobe.yaml';

export interface ProjectConfig {
  /** The renderer command deploy and run use when no --renderer is given. */
  renderer?: string;
}

const KEYS = ['renderer'];

/** The config of `text` (the contents of `file`), or a SkyprobeError naming what is wrong. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const bad = (why: string) =>
    new SkyprobeError(`project config ${file}: ${why}`, {
      hint: `${PROJECT_CONFIG} holds one entry, e.g. \`renderer: ./my-renderer\` (docs/renderer-contract.md); fix or remove it`,
      exitCode: 2,
    });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad(`invalid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw bad('expected a mapping of settings');
  const unknown = Object.keys(doc).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) throw bad(`unknown key ${unknown[0]} (known: ${KEYS.join(', ')})`);
  const { renderer } = doc as { renderer?: unknown };
  if (renderer !== undefined && (typeof renderer !== 'string' || renderer.trim() === ''))
    throw bad('renderer must be a command (a non-empty string)');
  return renderer === undefined ? {} : { renderer };
}

/** skyprobe.yaml of `dir` (the current directory), or {} when there is none. */
export function readProjectConfig(dir = process.cwd()): ProjectConfig {
  const file = join(dir, PROJECT_CONFIG);
  if (!existsSync(file)) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SkyprobeError(`project config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code})`, {
      hint: 'make it readable, or remove it',
    });
  }
  return parseProjectConfig(text, file);
}

/** The renderer a command uses: its --renderer flag, else the project config's, else none (the built-in). */
export function rendererFor(flag: string | undefined, dir?: string): string | undefined {
  return flag ?? readProjectConfig(dir).renderer;
}
