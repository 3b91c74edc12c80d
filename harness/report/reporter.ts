/**
 * The vitest reporter of a conformance run: collects each scenario's result (left in the test's meta by the
 * registrar) and writes report.json and junit.xml into the run folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { ScenarioResult } from '../scenario/define.ts';
import type { Routing } from '../stack/routing.ts';
import { type ScenarioOutcome, buildReport, renderJunit } from './build.ts';
import { renderHtml } from './html.ts';
import type { Report, ReportIssuance } from './schema.ts';

export interface ScenarioMeta {
  skyprobe?: { header: ScenarioOutcome['header']; routing: Routing; result?: ScenarioResult; skipped?: string };
}

export class ScenarioReporter implements Reporter {
  report?: Report;
  constructor(
    private readonly outDir: string,
    private readonly run: () => Report['run'],
    private readonly components: Record<string, string>,
    private readonly issuance?: ReportIssuance,
  ) {}

  /** Live progress on stderr, one line per scenario and routing mode (stdout stays for the run folder's path). */
  onTestCaseResult(t: TestCase): void {
    const meta = (t.meta() as ScenarioMeta).skyprobe;
    if (!meta) return;
    const r = t.result();
    const mark = r.state === 'passed' ? '✓' : r.state === 'failed' ? '✗' : '-';
    const secs = ((t.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
    const why = meta.result?.failedCheck
      ? `\n      failed: ${meta.result.failedCheck}`
      : meta.skipped
        ? `\n      skipped: ${meta.skipped}`
        : '';
    process.stderr.write(`  ${mark} ${meta.header.id} [${meta.routing}] ${meta.header.title} (${secs}s)${why}\n`);
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
          status,
          error: r.state === 'failed' ? r.errors?.[0]?.message : meta.skipped,
        });
      }
    }
    this.report = buildReport(outcomes, this.run(), this.components, this.issuance);
    writeReportFiles(this.outDir, this.report);
  }
}

/** report.json, junit.xml and index.html of a report, in its run folder. */
export function writeReportFiles(dir: string, report: Report): void {
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'junit.xml'), renderJunit(report));
  writeFileSync(join(dir, 'index.html'), renderHtml(report));
}
