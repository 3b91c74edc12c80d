/**
 * Each faulty renderer fails the scenarios it should, at the named checks, and nothing else (issue #17). On one
 * kept lab, for each fault of fixtures/renderers/faults.json: `skyprobe run --renderer "reference.py --fault NAME"`
 * in the modes where the fault changes the output, and report.json's failures are exactly the file's (scenario,
 * mode, first failed check); every other scenario run passed, and every scenario of the catalog ran.
 *
 * A mode a fault leaves out is one where its output is byte-identical to the reference's for every app the catalog
 * deploys: each run records the renderer input of every deploy (tee into the run folder, then the renderer as
 * given), and the last test renders every recorded input of such a mode with and without the fault and compares
 * the bytes. In the modes it runs in, the output must differ for at least one app (else the fault is no fault).
 */
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import type { Report } from '../report/schema.ts';
import { loadScenarios } from '../scenario/load.ts';
import {
  FAULTS_IN_NPM_TEST,
  REFERENCE_RENDERER,
  failureLine,
  readFaults,
  selectFaults,
} from '../stack/renderer-faults.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { labForFile } from './lab-for-file.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
/** The run folders stay, like any run's (reports/ is git-ignored): a failure's evidence is in them. */
const out = join(repoRoot(), 'reports', `renderer-faults-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const faults = readFaults();

/**
 * Which faults (SKYPROBE_RENDERER_FAULTS, stack/renderer-faults.ts): unset, the one of FAULTS_IN_NPM_TEST (npm test,
 * one catalog run of ~2.5 min); `1` all five (~23 min: more than `npm test` can carry inside CI's 90 minutes beside
 * the rest); a comma list those named (one catalog run each, so the lab lock can be let go between them); `0` none.
 */
const selected = selectFaults(process.env.SKYPROBE_RENDERER_FAULTS, Object.keys(faults), FAULTS_IN_NPM_TEST);
const optedIn = selected.length > 0;
/** The modes the selected faults run in: the byte-for-byte check below covers these. */
const modesRun = ROUTINGS.filter((m) => selected.some((n) => faults[n]?.modes.includes(m)));

/** The renderer input of every deploy of every run of this file, one file each. */
const inputsDir = join(out, 'inputs');
mkdirSync(inputsDir, { recursive: true });
const recording = (fault: string) =>
  `tee "$(mktemp -p '${inputsDir}' input.XXXXXX)" | ${REFERENCE_RENDERER} --fault ${fault}`;

/** The reports of this file's runs, for the names of their scenario runs. */
const reports: Report[] = [];

const failures = (r: Report) =>
  r.scenarios
    .filter((s) => s.status !== 'passed')
    .map((s) => {
      const failed = s.checks.find((c) => c.status === 'failed');
      return failed
        ? `${s.id} [${s.routing}]: ${failed.name}`
        : `${s.id} [${s.routing}]: ${s.status} before any check (${s.message})`;
    })
    .sort();

describe.skipIf(!optedIn)(
  `faulty renderers on one kept lab (${selected.join(', ') || 'none'}; SKYPROBE_RENDERER_FAULTS=1 for all five, ~23 min)`,
  () => {
    labForFile();
    for (const [name, fault] of Object.entries(faults).filter(([n]) => selected.includes(n))) {
      it(
        `${name} fails exactly ${fault.fails.length} scenario runs, at the named checks, in ${fault.modes.join(' and ')} routing`,
        async () => {
          const dir = join(out, name);
          const routing = fault.modes.length === 2 ? 'both' : (fault.modes[0] as Routing);
          const t0 = Date.now();
          const r = await execa(
            'node',
            [bin, 'run', '--routing', routing, '--renderer', recording(name), '--out', dir],
            {
              reject: false,
              env: { NO_COLOR: '1' },
              cwd: repoRoot(),
            },
          );
          process.stderr.write(
            `renderer fault ${name}: run --routing ${routing} ${((Date.now() - t0) / 1000).toFixed(0)} s, exit ${r.exitCode}\n`,
          );
          expect(existsSync(join(dir, 'report.json')), `no report.json: ${r.stderr.slice(-2000)}`).toBe(true);
          const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
          reports.push(report);
          expect(report.run.renderer).toBe(recording(name));
          const catalog = (await loadScenarios())
            .flatMap((s) => s.routing.filter((m) => fault.modes.includes(m)).map((m) => `${s.id} [${m}]`))
            .sort();
          expect(report.scenarios.map((s) => `${s.id} [${s.routing}]`).sort(), 'every scenario ran').toEqual(catalog);
          expect(failures(report), `${name} (${dir})`).toEqual(fault.fails.map(failureLine).sort());
          expect(r.exitCode).toBe(fault.fails.length > 0 ? 1 : 0);
        },
        TIMEOUTS.conformanceRun,
      );
    }

    it(
      "in the modes a fault does not run in, its output is the reference's, byte for byte, for every app deployed",
      async () => {
        // The scenario run an app's deploy belongs to: its names in a report (a migration deploys the other
        // routing too: CD-04 [current] ends in target), or the input's own routing (SC-01's fleet, shared by name).
        const runOf = new Map<string, Routing>();
        for (const r of reports)
          for (const s of r.scenarios)
            for (const n of Object.values(s.names ?? {})) if (s.routing) runOf.set(n, s.routing);
        const inputs = [...new Set(readdirSync(inputsDir).map((f) => readFileSync(join(inputsDir, f), 'utf8')))].map(
          (text) => {
            const i = JSON.parse(text) as { routing: Routing; app: { org: string; app: string } };
            const name = `${i.app.org}/${i.app.app}`;
            return { text, name, runs: new Set([i.routing, runOf.get(name) ?? i.routing]) };
          },
        );
        const render = async (input: string, fault?: string) =>
          (await execa(join(repoRoot(), REFERENCE_RENDERER), fault ? ['--fault', fault] : [], { input })).stdout;
        // the reference's output of an input once, however many faults compare with it
        const reference = new Map<string, Promise<string>>();
        const rendered = (input: string, fault?: string) => {
          if (fault) return render(input, fault);
          if (!reference.has(input)) reference.set(input, render(input));
          return reference.get(input) as Promise<string>;
        };
        for (const m of modesRun)
          expect(inputs.filter((i) => i.runs.has(m)).length, `inputs recorded in ${m} runs`).toBeGreaterThan(0);
        for (const [name, fault] of Object.entries(faults).filter(([n]) => selected.includes(n)))
          for (const m of modesRun) {
            const differ: string[] = [];
            const mine = inputs.filter((i) => i.runs.has(m));
            for (const i of mine) if ((await rendered(i.text)) !== (await rendered(i.text, name))) differ.push(i.name);
            if (fault.modes.includes(m))
              expect(differ.length, `${name} changes some output in ${m} runs`).toBeGreaterThan(0);
            else expect(differ, `${name} in ${m} runs: output identical for all ${mine.length} inputs`).toEqual([]);
          }
      },
      TIMEOUTS.renderEveryInput,
    );
  },
);
