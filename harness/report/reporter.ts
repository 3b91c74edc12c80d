/**
 * The vitest reporter of a conformance run: collects each scenario's result (left in the test's meta by the
 * registrar) and writes report.json and junit.xml into the run folder.
 */
import type { Layout } from '../stack/layout.ts';
import { writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { ScenarioResult } from '../scenario/define.ts';
import type { Routing } from '../stack/routing.ts';
import { type ScenarioOutcome, buildReport, renderJunit } from './build.ts';
import { recordRun } from './history-file.ts';
import { historyEntry } from './history.ts';
import { renderHtml } from './html.ts';
import type { Report, ReportIssuance } from './schema.ts';
import { SHA_FILE, sha256, shaLine, signoffOf } from './signoff.ts';

export interface ScenarioMeta {
  skyprobe?: {
    header: ScenarioOutcome['header'];
    routing: Routing;
    result?: ScenarioResult;
    attempts?: ScenarioResult[];
    skipped?: string;
    names?: Record<string, string>;
  };
}

export class ScenarioReporter implements Reporter {
  report?: Report;
  constructor(
    private readonly outDir: string,
    private readonly run: () => Report['run'],
    private readonly components: Record<string, string>,
    private readonly issuance?: ReportIssuance,
    private readonly files: ReportFilesOptions = {},
    private readonly layout?: Layout,
  ) {}

  /** Live progress on stderr, one line per scenario and routing mode (stdout stays for the run folder's path). */
  onTestCaseResult(t: TestCase): void {
    const meta = (t.meta() as ScenarioMeta).skyprobe;
    if (!meta) return;
    const r = t.result();
    const mark = r.state === 'passed' ? '✓' : r.state === 'failed' ? '✗' : '-';
    const secs = ((t.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
    const retried = meta.attempts?.length
      ? `\n      ${r.state === 'passed' ? 'flaky: passed' : 'failed'} on attempt ${meta.attempts.length + 1} (${meta.attempts.map((a, i) => `attempt ${i + 1} failed: ${a.failedCheck ?? a.message}`).join('; ')})`
      : '';
    const why = meta.result?.failedCheck
      ? `\n      failed: ${meta.result.failedCheck}`
      : meta.skipped
        ? `\n      skipped: ${meta.skipped}`
        : '';
    process.stderr.write(
      `  ${mark} ${meta.header.id} [${meta.routing}] ${meta.header.title} (${secs}s)${why}${retried}\n`,
    );
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const outcomes: ScenarioOutcome[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const meta = (t.meta() as ScenarioMeta).skyprobe;
        if (!meta) continue;
        const r = t.result();
        const status = r.state === 'passed' ? 'passed' : r.state === 'failed' ? 'failed' : 'skipped';
        outcomes.push({
          header: meta.header,
          routing: meta.routing,
          result: meta.result,
          attempts: meta.attempts,
          names: meta.names,
          status,
          error: r.state === 'failed' ? r.errors?.[0]?.message : meta.skipped,
        });
      }
    }
    this.report = buildReport(outcomes, this.run(), this.components, this.issuance, this.layout);
    this.report = writeReportFiles(this.outDir, this.report, this.files);
  }
}

export interface ReportFilesOptions {
  /** The history folder (`run --history`): the run gets its line in DIR/history.jsonl, index.html its strips. */
  history?: string;
  /** Who ran it (default user@host of this process). */
  ranBy?: string;
}

/** user@host of this process. */
export function ranByHere(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep $USER
  }
  return `${user}@${hostname()}`;
}

/**
 * A run folder's files: report.json with its sign-off summary, report.json.sha256, junit.xml, the history
 * line (with --history) and index.html. Returns the report as written.
 */
export function writeReportFiles(dir: string, report: Report, o: ReportFilesOptions = {}): Report {
  const signed: Report = { ...report, signoff: signoffOf(report, o.ranBy ?? ranByHere()) };
  const json = `${JSON.stringify(signed, null, 2)}\n`;
  const hex = sha256(json);
  writeFileSync(join(dir, 'report.json'), json);
  writeFileSync(join(dir, SHA_FILE), shaLine(hex));
  writeFileSync(join(dir, 'junit.xml'), renderJunit(signed));
  const history = o.history ? recordRun(o.history, historyEntry(signed, hex, dir)) : undefined;
  writeFileSync(join(dir, 'index.html'), renderHtml(signed, { sha256: hex, history }));
  return signed;
}
