/**
 * The size of the scale scenarios (suites/scale/, `skyprobe run --scale N`): N HTTPS hosts in all, small by default
 * so that a catalog run stays fast. Light (no YAML, no client): the CLI parses it at --help time.
 */
import { SkyprobeError } from '../errors.ts';

/** Hosts the scale scenarios deploy when not told: two apps of four hosts. */
export const DEFAULT_SCALE = 8;
export const MIN_SCALE = 4;
export const MAX_SCALE = 4096;
/** How the run hands the size to the scenarios (a vitest worker of the conformance project). */
export const SCALE_ENV = 'SKYPROBE_SCALE';

export function parseScale(input: string): number {
  const n = Number(input);
  if (!/^\d+$/.test(input.trim()) || n < MIN_SCALE || n > MAX_SCALE)
    throw new SkyprobeError(`--scale "${input}" is not a whole number of hosts from ${MIN_SCALE} to ${MAX_SCALE}`, {
      hint: `e.g. --scale 256 (HTTPS hosts the scale scenarios deploy; default ${DEFAULT_SCALE})`,
    });
  return n;
}

/** The size asked for in this process (SKYPROBE_SCALE), or the default. */
export function scaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env[SCALE_ENV];
  return v ? parseScale(v) : DEFAULT_SCALE;
}
