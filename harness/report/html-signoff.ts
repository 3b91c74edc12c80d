/**
 * The top of index.html: the sign-off summary (verdict, commit, provider, routing modes, who ran it, when,
 * report.json's sha256, every component version) and the banner's list of what failed (each failed scenario
 * with its failing check, linked to that check's evidence) and of what was flaky.
 */
import { anchor, checkAnchor, esc } from './html-parts.ts';
import type { Report, ReportScenario } from './schema.ts';
import { runLabel } from './schema.ts';

/** The failing check's link and name; a scenario that ended on an error (no failed check) links to itself. */
function failingCheck(s: ReportScenario): string {
  const i = s.checks.findIndex((c) => c.status === 'failed');
  const c = s.checks[i];
  return c
    ? `check <a href="#${esc(checkAnchor(s, i))}">“${esc(c.name)}”</a>${c.message ? ` — ${esc(c.message)}` : ''}`
    : `ended on an error, no check failed: ${esc(s.message ?? 'no message')}`;
}

/** The banner's lists: each failed scenario with its failing check, then each flaky one with why. */
export function failureList(r: Report, flaky: Map<string, string>): string {
  const failed = r.scenarios.filter((s) => s.status === 'failed');
  const items = failed.map(
    (s) =>
      `<li><a href="#${esc(anchor(s))}">${esc(s.id)} [${esc(runLabel(s))}]</a> ${esc(s.title)}: ${failingCheck(s)}</li>`,
  );
  const flakyItems = r.scenarios
    .filter((s) => s.status !== 'failed' && flaky.has(anchor(s)))
    .map(
      (s) =>
        `<li><a href="#${esc(anchor(s))}">${esc(s.id)} [${esc(runLabel(s))}]</a> flaky: ${esc(flaky.get(anchor(s)))}</li>`,
    );
  return `${items.length ? `<ul id="failures">${items.join('')}</ul>` : ''}${flakyItems.length ? `<ul id="flaky">${flakyItems.join('')}</ul>` : ''}`;
}

/** The sign-off summary table (#signoff, with report.json's sha256 in data-sha256 for `report verify`). */
export function signoffSection(r: Report, sha256: string | undefined): string {
  const so = r.signoff;
  const row = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;
  const comps = Object.entries(so?.components ?? r.environment.components)
    .map(([k, v]) => `${esc(k)} ${esc(v)}`)
    .join(', ');
  const verdict = so?.verdict ?? (r.summary.failed > 0 ? 'failed' : 'passed');
  return `<table id="signoff" class="signoff"${sha256 ? ` data-sha256="${sha256}"` : ''}><tbody>${[
    row('verdict', `<span class="badge ${verdict}">${verdict}</span>`),
    row('commit', esc(so?.commit ?? r.run.gitCommit)),
    row('provider', esc(so?.provider ?? r.run.provider)),
    row('routing modes', esc((so?.routing ?? r.run.routing).join(', ') || '—')),
    row('ran by', esc(so?.ranBy ?? 'not recorded (a report from before the sign-off summary)')),
    row('when', esc(so ? `${so.startedAt} – ${so.endedAt}` : r.run.startedAt)),
    row('report.json sha256', sha256 ? `<code>${sha256}</code>` : 'not recorded'),
    row('components', comps),
  ].join('')}</tbody></table>`;
}
