import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths.ts';
import { type Scenario, runScenario } from './scenario/define.ts';
import type { ScenarioEnv } from './scenario/env.ts';
import { within } from './scenario/steps.ts';
import { POLL, TIMEOUTS, seconds } from './timeouts.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.(ts|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

const root = repoRoot();
const files = [...sources(join(root, 'harness')), ...sources(join(root, 'suites'))].map((f) => ({
  file: relative(root, f),
  text: readFileSync(f, 'utf8'),
}));

describe('the timeouts table', () => {
  it('holds positive whole milliseconds only', () => {
    for (const [name, ms] of Object.entries({ ...TIMEOUTS, ...POLL })) {
      expect(Number.isInteger(ms) && ms > 0, name).toBe(true);
    }
    expect(seconds(TIMEOUTS.httpRequest)).toBe(3);
    expect(seconds(1_500)).toBe(2);
  });

  it('is where runScenario takes its default converging bound from', async () => {
    let seen: number | undefined;
    const s = {
      id: 'XX-01',
      body: async (ctx: { convergeMs: number }) => {
        seen = ctx.convergeMs;
      },
    } as unknown as Scenario;
    const r = await runScenario(s, {} as ScenarioEnv, 'current');
    expect(r.status).toBe('passed');
    expect(seen).toBe(TIMEOUTS.converge);
  });

  it('scales scenario bounds with the run: a fault-twin run is shorter in proportion', () => {
    expect(within({ convergeMs: TIMEOUTS.converge }, TIMEOUTS.certificateIssued)).toBe(TIMEOUTS.certificateIssued);
    const twin = { convergeMs: TIMEOUTS.faultTwinConverge };
    expect(within(twin, TIMEOUTS.certificateIssued)).toBe(
      (TIMEOUTS.certificateIssued * TIMEOUTS.faultTwinConverge) / TIMEOUTS.converge,
    );
    expect(within(twin, TIMEOUTS.converge)).toBe(TIMEOUTS.faultTwinConverge);
  });
});

describe('one way of waiting', () => {
  it('no sleep or polling loop outside harness/converge.ts (the pod runner and the automation keep their daemon timers)', () => {
    const sleeping =
      /node:timers\/promises|new Promise\(\s*\(?\w+\)?\s*=>\s*setTimeout|while \(Date\.now\(\)|Date\.now\(\) [<>]=? ?deadline/;
    const offenders = files.filter((f) => f.file !== 'harness/converge.ts' && sleeping.test(f.text)).map((f) => f.file);
    expect(offenders).toEqual([]);
    const timers = files.filter((f) => /\bsetTimeout\(/.test(f.text)).map((f) => f.file);
    expect(timers.sort()).toEqual([
      'harness/automation/main.ts',
      'harness/converge.ts',
      'harness/pod-runner/main.ts',
      'harness/pod-runner/pod-worker.ts',
    ]);
  });

  it('no literal timeout outside the table', () => {
    const literal =
      /timeoutMs: \(?\d|timeoutS: \d|timeoutMs \?\? \d|AbortSignal\.timeout\(\d|headersTimeout: \d|withStartupTimeout\(\d|Timeout: \d|'-m',\s*'\d|\+time=\d|--timeout=\d|convergeMs(?: \?\?|\s*[*/]) ?\d/;
    const found = files.filter((f) => literal.test(f.text)).map((f) => f.file);
    expect(found).toEqual([]);
  });
});
