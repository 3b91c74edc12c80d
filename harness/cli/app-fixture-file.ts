/** An app fixture named on the command line (deploy, render): read and parsed, or one line saying what is wrong. */
import { readFileSync } from 'node:fs';
import { SkyprobeError } from '../errors.ts';
import type { AppFixture } from '../stack/app-fixture.ts';

export async function readAppFixture(file: string): Promise<AppFixture> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SkyprobeError(`cannot read the app fixture ${file}`, {
      hint: 'give the path of a YAML file such as fixtures/apps/shop.yaml',
    });
  }
  // Loaded when a verb runs (the YAML parser): see lab-command.ts.
  const { parseAppFixture } = await import('../stack/app-fixture.ts');
  return parseAppFixture(text, file);
}
