/**
 * The lab's layout of HTTPS hosts on the edge (stack/layout.ts), chosen at `skyprobe lab up --layout` and kept in
 * the lab folder: what `skyprobe deploy` and `skyprobe run` use when not told otherwise. A module of its own, light,
 * like stack-paths.ts, so that the verbs read it without loading the lab's machinery.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import { DEFAULT_LAYOUT, isLayout, LAYOUTS, type Layout } from '../../stack/layout.ts';

export const layoutFile = (labDir: string) => join(labDir, 'layout');

export function labLayout(labDir: string): Layout {
  const f = layoutFile(labDir);
  if (!existsSync(f)) return DEFAULT_LAYOUT;
  const v = readFileSync(f, 'utf8').trim();
  if (!isLayout(v))
    throw new SkyprobeError(`the lab's layout file ${f} says "${v}", which is not a layout`, {
      hint: `write one of ${LAYOUTS.join(', ')} into it, or restart the lab: skyprobe lab down && skyprobe lab up --keep`,
    });
  return v;
}

export function setLabLayout(labDir: string, layout: Layout): void {
  writeFileSync(layoutFile(labDir), `${layout}\n`);
}

/** The layout a run or deploy uses: the one asked for, else the environment's (SKYPROBE_LAYOUT), else the lab's. */
export function layoutFor(labDir: string, asked?: Layout, env: NodeJS.ProcessEnv = process.env): Layout {
  const fromEnv = env.SKYPROBE_LAYOUT;
  if (asked) return asked;
  if (fromEnv && isLayout(fromEnv)) return fromEnv;
  return labLayout(labDir);
}
