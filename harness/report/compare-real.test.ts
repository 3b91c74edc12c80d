/**
 * Two real runs of the dns suite (fixtures/reports/compare/, recorded as docs/architecture.md "Sign-off" says):
 * A healthy, B with the lab's public DNS stopped by hand (SIGSTOP of its CoreDNS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { compareExitCode, compareReports, scenarioKey } from './compare.ts';
import type { Report } from './schema.ts';
import { verifyChecks } from './signoff.ts';

const dir = (x: string) => join(repoRoot(), 'fixtures', 'reports', 'compare', x);
const read = (x: string) => JSON.parse(readFileSync(join(dir(x), 'report.json'), 'utf8')) as Report;

describe('report compare on two real runs', () => {
  const a = read('A');
  const b = read('B');

  it('names exactly the scenarios the fault broke, exit 1; the other order lists them as fixed, exit 0', () => {
    const broken = b.scenarios.filter((s) => s.status === 'failed').map(scenarioKey);
    expect(broken.length).toBeGreaterThan(0);
    expect(a.scenarios.every((s) => s.status === 'passed')).toBe(true);
    const forward = compareReports(a, b);
    expect(forward.newFailures.map((e) => `${e.id} [${e.label}]`)).toEqual(broken);
    expect(forward.fixed).toEqual([]);
    expect(compareExitCode(forward)).toBe(1);
    const back = compareReports(b, a);
    expect(back.fixed.map((e) => `${e.id} [${e.label}]`)).toEqual(broken);
    expect(back.newFailures).toEqual([]);
    expect(compareExitCode(back)).toBe(0);
  });

  it('the recorded folders verify untouched', () => {
    for (const x of ['A', 'B']) {
      const checks = verifyChecks({
        reportBytes: readFileSync(join(dir(x), 'report.json')),
        shaFile: readFileSync(join(dir(x), 'report.json.sha256'), 'utf8'),
      });
      expect(checks.filter((c) => !c.ok)).toEqual([]);
    }
  });
});
