/**
 * The sign-off summary of a run (report.json `signoff`, the top of index.html) and the checks of
 * `skyprobe report verify DIR`: report.json's sha256 is written beside it (report.json.sha256, as sha256sum
 * prints it), into index.html's summary and into the history index, so that an archived run folder can be
 * checked later: an edited report.json no longer matches any of them.
 */
import { createHash } from 'node:crypto';
import { summarize } from './build.ts';
import type { HistoryRun } from './history.ts';
import type { Report, ReportSignoff } from './schema.ts';

import { SHA_FILE } from './names.ts';

export { SHA_FILE };

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** sha256sum's line for report.json. */
export const shaLine = (hex: string): string => `${hex}  report.json\n`;

export function signoffOf(r: Report, ranBy: string): ReportSignoff {
  const s = summarize(r.scenarios);
  return {
    verdict: s.failed > 0 ? 'failed' : 'passed',
    commit: r.run.gitCommit,
    provider: r.run.provider,
    routing: r.run.routing,
    components: r.environment.components,
    ranBy,
    startedAt: r.run.startedAt,
    endedAt: new Date(Date.parse(r.run.startedAt) + r.run.durationMs).toISOString(),
    counts: { passed: s.passed, failed: s.failed, skipped: s.skipped, flaky: s.flaky ?? 0 },
  };
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What a run folder says of its report.json; absent pieces are reported as absent, not as a match. */
export interface VerifyInput {
  /** report.json's bytes. */
  reportBytes: Buffer;
  /** report.json.sha256's text, if the file exists. */
  shaFile?: string;
  /** index.html's text, if the file exists. */
  html?: string;
  /** The history index's line for this run, if a history holds it. */
  history?: HistoryRun;
}

/** The sha256 index.html's sign-off summary carries (data-sha256 of #signoff). */
export const htmlSha = (html: string): string | undefined =>
  /id="signoff"[^>]*data-sha256="([0-9a-f]{64})"/.exec(html)?.[1];

export function verifyChecks(v: VerifyInput): VerifyCheck[] {
  const actual = sha256(v.reportBytes);
  const checks: VerifyCheck[] = [];
  const against = (name: string, recorded: string | undefined, missing: string) =>
    checks.push(
      recorded === undefined
        ? { name, ok: false, detail: missing }
        : recorded === actual
          ? { name, ok: true, detail: `sha256 ${actual}` }
          : { name, ok: false, detail: `recorded ${recorded}, report.json is ${actual}` },
    );
  against(SHA_FILE, v.shaFile?.trim().split(/\s+/)[0], `${SHA_FILE} is missing`);
  if (v.html !== undefined) against('index.html sign-off summary', htmlSha(v.html), 'index.html carries no sha256');
  if (v.history) against('history index', v.history.sha256, 'no sha256 in the history line');
  let report: Report | undefined;
  try {
    report = JSON.parse(v.reportBytes.toString('utf8')) as Report;
  } catch (err) {
    checks.push({ name: 'report.json is JSON', ok: false, detail: (err as Error).message });
  }
  if (report) {
    const recount = summarize(report.scenarios ?? []);
    const same = JSON.stringify(recount) === JSON.stringify(report.summary);
    checks.push({
      name: 'counts equal the scenarios',
      ok: same,
      detail: same
        ? `${recount.passed} passed, ${recount.failed} failed, ${recount.skipped} skipped${recount.flaky ? `, ${recount.flaky} flaky` : ''}`
        : `summary says ${JSON.stringify(report.summary)}, the scenarios count ${JSON.stringify(recount)}`,
    });
    if (report.signoff) {
      const verdict = recount.failed > 0 ? 'failed' : 'passed';
      checks.push({
        name: 'sign-off verdict',
        ok: report.signoff.verdict === verdict,
        detail: `${report.signoff.verdict}${report.signoff.verdict === verdict ? '' : `, the scenarios say ${verdict}`}`,
      });
    }
  }
  return checks;
}
