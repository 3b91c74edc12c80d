import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execRunner } from './runner.ts';

describe('execRunner', () => {
  it('hands each stdout line to onLine as it comes, and keeps the output and the log as before', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'skyprobe-runner-')), 'x.log');
    const seen: string[] = [];
    const r = await execRunner('sh', ['-c', 'echo one; echo err >&2; echo two'], {
      onLine: (l) => seen.push(l),
      logFile: log,
    });
    expect(r.exitCode).toBe(0);
    expect(seen).toEqual(['one', 'two']);
    expect(r.output.split('\n').sort()).toEqual(['err', 'one', 'two']);
    expect(readFileSync(log, 'utf8')).toMatch(/one\n[\s\S]*two/);
  });

  it('reports a missing program as not found, never throws', async () => {
    const r = await execRunner('skyprobe-no-such-program', []);
    expect(r).toMatchObject({ notFound: true, exitCode: 127 });
  });
});
