/**
 * What `skyprobe report build`, `compare` and `verify` do, loaded only when one of them runs (report-command.ts
 * registers them): the report layer is not loaded for --help or the other verbs.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SkyprobeError } from '../errors.ts';
import { renderCompareHtml } from '../report/compare-html.ts';
import { compareExitCode, compareReports, renderCompareText } from '../report/compare.ts';
import { readHistory } from '../report/history-file.ts';
import { HISTORY_FILE } from '../report/history.ts';
import { renderHtml } from '../report/html.ts';
import { REPORT_SCHEMA, type Report } from '../report/schema.ts';
import { SHA_FILE, sha256, verifyChecks } from '../report/signoff.ts';

/** report.json of a run folder, or the file itself. */
function reportFile(path: string): string {
  const p = resolve(path);
  return existsSync(p) && statSync(p).isDirectory() ? join(p, 'report.json') : p;
}

function readReport(path: string): Report {
  const file = reportFile(path);
  if (!existsSync(file))
    throw new SkyprobeError(`no report.json at ${path}`, {
      hint: 'give a run folder (reports/<run-id>) or its report.json, or run: skyprobe run',
    });
  let r: Report;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (err) {
    throw new SkyprobeError(`${file} is not JSON: ${(err as Error).message}`, {
      hint: 'give the report.json a run wrote (reports/<run-id>/report.json)',
    });
  }
  if (r?.schema !== REPORT_SCHEMA)
    throw new SkyprobeError(`${file} has schema "${r?.schema}", not ${REPORT_SCHEMA}`, {
      hint: 'give a report.json written by skyprobe run',
    });
  return r;
}

/** The history folder of a run folder: --history, else the folder above it when it holds a history index. */
function historyDirOf(runDir: string, given?: string): string | undefined {
  if (given) return resolve(given);
  const parent = dirname(resolve(runDir));
  return existsSync(join(parent, HISTORY_FILE)) ? parent : undefined;
}

export function buildReportPage(dir: string, opts: { history?: string }): void {
  const d = resolve(dir);
  const r = readReport(d);
  const h = historyDirOf(d, opts.history);
  const sha = sha256(readFileSync(join(d, 'report.json')));
  writeFileSync(join(d, 'index.html'), renderHtml(r, { sha256: sha, history: h ? readHistory(h) : undefined }));
  process.stdout.write(`${join(d, 'index.html')}\n`);
}

export function compareRuns(
  base: string,
  head: string,
  opts: { json?: boolean; html?: string; threshold: number; minMs: number },
): void {
  const c = compareReports(readReport(base), readReport(head), {
    durationRatio: opts.threshold / 100,
    durationMinMs: opts.minMs,
  });
  if (opts.html) {
    writeFileSync(resolve(opts.html), renderCompareHtml(c));
    process.stderr.write(`comparison page: ${resolve(opts.html)}\n`);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(c, null, 2)}\n` : renderCompareText(c));
  process.exitCode = compareExitCode(c);
}

export function verifyRunFolder(dir: string, opts: { history?: string }): void {
  const d = resolve(dir);
  const file = join(d, 'report.json');
  if (!existsSync(file))
    throw new SkyprobeError(`no report.json in ${d}`, { hint: 'give a run folder (reports/<run-id>)' });
  const bytes = readFileSync(file);
  const opt = (f: string) => (existsSync(join(d, f)) ? readFileSync(join(d, f), 'utf8') : undefined);
  const h = historyDirOf(d, opts.history);
  let runId: string | undefined;
  try {
    runId = (JSON.parse(bytes.toString('utf8')) as Report).run?.id;
  } catch {
    runId = undefined;
  }
  const id = runId ?? basename(d);
  const line = h ? readHistory(h).find((x) => x.id === id) : undefined;
  const checks = verifyChecks({
    reportBytes: bytes,
    shaFile: opt(SHA_FILE),
    html: opt('index.html'),
    history: line,
  });
  for (const c of checks) process.stdout.write(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}\n`);
  if (h && !line) process.stdout.write(`- history index: ${join(h, HISTORY_FILE)} has no line for run ${id}\n`);
  const bad = checks.filter((c) => !c.ok).length;
  process.stdout.write(bad === 0 ? `verified: ${d}\n` : `NOT verified: ${bad} of ${checks.length} checks failed\n`);
  process.exitCode = bad === 0 ? 0 : 1;
}
