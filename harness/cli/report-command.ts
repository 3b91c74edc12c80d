/**
 * `skyprobe report build DIR`, `open [DIR]`, `compare BASE HEAD`, `verify DIR`: the HTML report from report.json
 * (with the history's strips), two runs compared, an archived run folder checked against its recorded sha256.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { SkyprobeError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { COMPARE_DEFAULTS, HISTORY_FILE, SHA_FILE } from '../report/names.ts';

const percent = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new SkyprobeError(`--threshold must be a percentage, not "${v}"`);
  return n;
};
const millis = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new SkyprobeError(`--min-ms must be whole milliseconds, not "${v}"`);
  return n;
};

export function registerReport(report: Command): void {
  report
    .command('build')
    .description('rebuild index.html of a run folder from its report.json (and the history index, when there is one)')
    .argument('<dir>', 'a run folder (reports/<run-id>)')
    .option('--history <dir>', `the folder of ${HISTORY_FILE} (default: the folder above DIR, when it has one)`)
    .action(async (dir: string, opts: { history?: string }) => {
      const { buildReportPage } = await import('./report-actions.ts');
      buildReportPage(dir, opts);
    });
  report
    .command('open')
    .description('print the path of a run report (default: reports/latest) and open it in a browser if there is one')
    .argument('[dir]', 'a run folder', join(repoRoot(), 'reports', 'latest'))
    .action((dir: string) => {
      const file = join(resolve(dir), 'index.html');
      if (!existsSync(file))
        throw new SkyprobeError(`no index.html in ${resolve(dir)}`, { hint: `build it: skyprobe report build ${dir}` });
      process.stdout.write(`${file}\n`);
      if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
        spawn('xdg-open', [file], { detached: true, stdio: 'ignore' })
          .on('error', () => undefined)
          .unref();
    });
  report
    .command('compare')
    .description(
      'compare two runs: new failures, fixed, still failing, newly skipped, added/removed, durations, components, host facts; exit 1 when HEAD has a new failure',
    )
    .argument('<base>', 'the earlier run: a run folder or its report.json')
    .argument('<head>', 'the later run: a run folder or its report.json')
    .option('--json', 'print the comparison as JSON')
    .option('--html <file>', 'also write the comparison as a self-contained HTML page')
    .addOption(
      new Option('--threshold <percent>', 'report a duration change beyond this share of the base duration')
        .default(COMPARE_DEFAULTS.durationRatio * 100)
        .argParser(percent),
    )
    .addOption(
      new Option('--min-ms <ms>', '...and beyond this many milliseconds')
        .default(COMPARE_DEFAULTS.durationMinMs)
        .argParser(millis),
    )
    .action(
      async (base: string, head: string, opts: { json?: boolean; html?: string; threshold: number; minMs: number }) => {
        const { compareRuns } = await import('./report-actions.ts');
        compareRuns(base, head, opts);
      },
    );
  report
    .command('verify')
    .description(
      `check an archived run folder: report.json against its ${SHA_FILE}, index.html and the history index; exit 1 on a mismatch`,
    )
    .argument('<dir>', 'a run folder (reports/<run-id>)')
    .option('--history <dir>', `the folder of ${HISTORY_FILE} (default: the folder above DIR, when it has one)`)
    .action(async (dir: string, opts: { history?: string }) => {
      const { verifyRunFolder } = await import('./report-actions.ts');
      verifyRunFolder(dir, opts);
    });
}
