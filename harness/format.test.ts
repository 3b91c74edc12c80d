/** The code is formatted by prettier (.prettierrc.json: line width 120); `npx prettier --write .` mends it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import * as prettier from 'prettier';
import { expect, test } from 'vitest';
import { repoRoot } from './paths.ts';

test('every source file is as prettier formats it', async () => {
  const root = repoRoot();
  const files = (await execa('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root })).stdout
    .split('\n')
    .filter((f) => f && existsSync(join(root, f)));
  const unformatted: string[] = [];
  for (const f of files) {
    const file = join(root, f);
    const info = await prettier.getFileInfo(file, { ignorePath: join(root, '.prettierignore') });
    if (info.ignored || !info.inferredParser) continue;
    const options = await prettier.resolveConfig(file);
    if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) unformatted.push(f);
  }
  expect(unformatted, `not formatted (run: npx prettier --write ${unformatted.join(' ')})`).toEqual([]);
});
