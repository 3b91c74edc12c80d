/** The reporter turns the header register.ts leaves in each test's meta into report.json's scenario entries. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import { type ScenarioMeta, ScenarioReporter } from './reporter.ts';
import type { Report } from './schema.ts';

const run: Report['run'] = {
  id: 'r1',
  startedAt: '2026-11-25T00:00:00Z',
  durationMs: 10,
  routing: ['current'],
  provider: 'kind',
  gitCommit: 'abc',
};

/** A test module as vitest hands it to onTestRunEnd, reduced to what the reporter reads. */
const moduleOf = (tests: { meta: ScenarioMeta; state: 'passed' | 'failed' | 'skipped' }[]) =>
  ({
    children: {
      allTests: () => tests.map((t) => ({ meta: () => t.meta, result: () => ({ state: t.state, errors: [] }) })),
    },
  }) as unknown as TestModule;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ScenarioReporter', () => {
  it("writes each scenario's header (area and features included) into report.json and index.html", () => {
    dir = mkdtempSync(join(tmpdir(), 'skyprobe-reporter-'));
    const reporter = new ScenarioReporter(dir, () => run, {});
    reporter.onTestRunEnd([
      moduleOf([
        {
          state: 'skipped',
          meta: {
            skyprobe: {
              header: { id: 'MG-01', title: 'overlay', area: 'management', features: ['SideroLink', 'TalosAPI'] },
              routing: 'current',
              skipped: 'needs the management path',
            },
          },
        },
        { state: 'passed', meta: {} },
      ]),
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.scenarios).toEqual([
      {
        id: 'MG-01',
        title: 'overlay',
        area: 'management',
        features: ['SideroLink', 'TalosAPI'],
        routing: 'current',
        status: 'skipped',
        durationMs: 0,
        checks: [],
        message: 'needs the management path',
      },
    ]);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('data-features="SideroLink TalosAPI"');
  });
});
