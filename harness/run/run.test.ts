/** `skyprobe run --suite` takes the catalog's areas, one folder each (scenario/areas.test.ts ties them to folders). */
import { expect, it } from 'vitest';
import { AREAS } from '../scenario/areas.ts';
import { suiteAreas } from './run.ts';

it('--suite names are exactly the areas', () => {
  expect(suiteAreas()).toEqual([...AREAS].sort());
});
