/** `skyprobe report build DIR` and `skyprobe report open [DIR]`: the HTML report, from report.json alone. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SkyprobeError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import type { Report } from '../report/schema.ts';

async function readReport(dir: string): Promise<Report> {
  const file = join(dir, 'report.json');
  if (!existsSync(file))
    throw new SkyprobeError(`no report.json in ${dir}`, {
      hint: 'give a run folder (reports/<run-id>), or run: skyprobe run',
    });
  const { REPORT_SCHEMA } = await import('../report/schema.ts');
  let r: Report;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    throw new SkyprobeError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (r.schema !== REPORT_SCHEMA) throw new SkyprobeError(`${file} has schema "${r.schema}", not ${REPORT_SCHEMA}`);
  return r;
}

export function registerReport(report: Command): void {
  report
    .command('build')
    .description('rebuild index.html of a run folder from its report.json')
    .argument('<dir>', 'a run folder (reports/<run-id>)')
    .action(async (dir: string) => {
      const d = resolve(dir);
      const report = await readReport(d);
      // Loaded when the verb runs, as every verb's modules (lab-command.ts).
      const { renderHtml } = await import('../report/html.ts');
      writeFileSync(join(d, 'index.html'), renderHtml(report));
      process.stdout.write(`${join(d, 'index.html')}\n`);
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
}
