/** `skyprobe run`: the conformance run; prints a summary; exit 1 when a scenario failed. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatElapsed, streamProgress } from '../log.ts';
import { DEFAULT_ISSUANCE, type Issuance, ISSUANCES } from '../stack/issuance.ts';
import { LAYOUTS, type Layout } from '../stack/layout.ts';
import { DEFAULT_SCALE, MAX_SCALE, MIN_SCALE, parseScale } from '../stack/scale.ts';
import type { Routing } from '../stack/routing.ts';

/**
 * How many scenario runs `skyprobe run` runs at once by default: measured on the 2-core machine (docs/architecture.md,
 * "Scenarios side by side").
 */
export const DEFAULT_PARALLEL = 4;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the conformance scenarios on the lab and write report.json and junit.xml')
    .option(
      '--suite <name>',
      "only this suite: an area of skyprobe's catalog (a folder of suites/), or gateway-api (the upstream Gateway API conformance suite of the pin file, run after the catalog when both are named); repeat for more",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--scenario <id>',
      'only this scenario (an id of the catalog, like TLS-04; or one upstream test, like GWAPI-HTTPRouteWeight); repeat for more',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--failed-from <dir>', 'rerun the scenarios that failed in an earlier run folder (its report.json)')
    .addOption(
      new Option('--routing <mode>', 'routing modes to run').choices(['current', 'target', 'both']).default('both'),
    )
    .option('--out <dir>', 'run folder (default reports/<run-id>)')
    .addOption(
      new Option(
        '--provider <name>',
        'where to run: the embedded lab, a kind cluster (needs docker and kind), or an existing cluster',
      )
        .choices(['embedded', 'kind', 'existing'])
        .default('embedded'),
    )
    .option(
      '--kubeconfig <file>',
      'the cluster for --provider existing (read-only but for its own namespace skyprobe-<run-id>)',
    )
    .addOption(
      new Option(
        '--issuance <profile>',
        `HTTP-01 issuance: fast (no cert-manager self-check; Pebble validates) or faithful (the platform's self-check); a new cluster gets ${DEFAULT_ISSUANCE.embedded} by default; a running lab keeps its own`,
      ).choices(ISSUANCES),
    )
    .addOption(
      new Option(
        '--layout <layout>',
        "how deploys put HTTPS hosts on the edge: listener-per-host, sharded or listenerset (default: the lab's, see lab up --layout)",
      ).choices(LAYOUTS),
    )
    .option(
      '--scale <hosts>',
      `HTTPS hosts the scale scenarios (suites/scale) deploy, ${MIN_SCALE} to ${MAX_SCALE} (default ${DEFAULT_SCALE})`,
      (v: string) => parseScale(v),
    )
    .option('--keep', 'leave the lab running afterwards')
    .option(
      '--renderer <cmd>',
      "deploy the scenarios' apps with what CMD prints for each (skyprobe.renderer/v1, docs/renderer-contract.md) instead of the built-in renderer",
    )
    .option('--history <dir>', 'the folder of the history index of runs (history.jsonl; default: the reports folder)')
    .addOption(
      new Option('--retries <n>', 'rerun a failed scenario up to N times; a pass after a retry is reported as flaky')
        .default(0)
        .argParser((v: string) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 5) throw new InvalidArgumentError('a whole number from 0 to 5');
          return n;
        }),
    )
    .addOption(
      new Option(
        '--parallel <n>',
        'run up to N scenario runs at once on the one lab, each under names of its own; a scenario whose header says alone runs by itself',
      )
        .default(DEFAULT_PARALLEL)
        .argParser((v: string) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('a whole number from 1 to 16');
          return n;
        }),
    )
    .action(
      async (opts: {
        suite: string[];
        scenario: string[];
        failedFrom?: string;
        routing: Routing | 'both';
        out?: string;
        keep?: boolean;
        provider: string;
        kubeconfig?: string;
        issuance?: Issuance;
        layout?: Layout;
        scale?: number;
        history?: string;
        retries: number;
        renderer?: string;
        parallel: number;
      }) => {
        const progress = streamProgress(process.stderr);
        const t0 = Date.now();
        try {
          // Loaded when the verb runs: vitest and the providers take ~2 s to load, which every other verb would pay.
          const [{ runConformance }, { runLabel }] = await Promise.all([
            import('../run/run.ts'),
            import('../report/schema.ts'),
          ]);
          const outcome = await runConformance({
            suites: opts.suite,
            scenarios: opts.scenario,
            failedFrom: opts.failedFrom,
            routing: opts.routing,
            out: opts.out,
            keep: opts.keep,
            provider: opts.provider,
            kubeconfig: opts.kubeconfig,
            issuance: opts.issuance,
            layout: opts.layout,
            scale: opts.scale,
            history: opts.history,
            retries: opts.retries,
            renderer: (await import('./project-config.ts')).rendererFor(opts.renderer),
            parallel: opts.parallel,
            progress,
          });
          if ('nothing' in outcome) {
            process.stderr.write(`${outcome.nothing}\n`);
            return;
          }
          const { report, dir, exitCode } = outcome;
          for (const s of report.scenarios.filter((x) => x.status === 'failed'))
            process.stderr.write(`✗ ${s.id} [${runLabel(s)}]: ${s.message}\n`);
          for (const s of report.scenarios.filter((x) => x.flaky))
            process.stderr.write(`~ ${s.id} [${runLabel(s)}]: flaky, ${s.flaky}\n`);
          process.stderr.write(`reports: ${dir}/index.html, report.json, junit.xml\n`);
          process.stderr.write(
            `scenarios: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped${report.summary.flaky ? `, ${report.summary.flaky} flaky` : ''} (${formatElapsed(Date.now() - t0)})\n`,
          );
          process.stdout.write(`${dir}\n`);
          process.exitCode = exitCode;
        } finally {
          progress.close();
        }
      },
    );
}
