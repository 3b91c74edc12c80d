/**
 * The areas of the catalog: the one list. A scenario's area is the folder its file is in (suites/<area>/<ID>.ts),
 * never declared in its header; areas.test.ts checks that the folders and this list agree.
 */
import { basename, dirname } from 'node:path';
import { SkyprobeError } from '../errors.ts';

export const AREAS = [
  'data-path',
  'custom-domain',
  'migration',
  'tls',
  'readiness',
  'dns',
  'in-cluster',
  'management',
  'facts',
  'stack',
  'scale',
] as const;

export type Area = (typeof AREAS)[number];

export const isArea = (name: string): name is Area => (AREAS as readonly string[]).includes(name);

/** The area of a scenario file: the name of its folder, which must be one of AREAS. */
export function areaOf(file: string): Area {
  const folder = basename(dirname(file));
  if (!isArea(folder))
    throw new SkyprobeError(`scenario ${file} is in folder "${folder}", which is not an area`, {
      hint: `move it to suites/<area>/ with one of: ${AREAS.join(', ')} (or add the area to AREAS in harness/scenario/areas.ts)`,
    });
  return folder;
}
