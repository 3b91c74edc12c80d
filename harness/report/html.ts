/**
 * index.html: one self-contained file built from report.json alone (styles, script and data inlined; no
 * request leaves the page), readable offline from file://. Failures first; a verdict line and counts by area and
 * by feature; the four facts and the endpoint per host; the current-vs-target matrix; a convergence timeline (SVG);
 * every scenario with its features, checks and evidence; the environment; filters by status, area and feature (a
 * scenario's feature chip sets it), text search, and an anchor per scenario.
 */
import { FEATURES } from '../scenario/features.ts';
import type { ReportHost } from '../scenario/report-host.ts';
import type { HistoryRun } from './history.ts';
import { type HistoryView, historySection, historyView, stripHtml } from './html-history.ts';
import { anchor, checkAnchor, esc } from './html-parts.ts';
import { failureList, signoffSection } from './html-signoff.ts';
import {
  type Report,
  type ReportCheck,
  type ReportScenario,
  type ReportUpstreamSuite,
  type RunSelection,
  runLabel,
} from './schema.ts';

export { anchor, esc };

/** Evidence longer than this is cut in the page (report.json keeps it whole). */
export const EVIDENCE_LIMIT = 8_000;

/** Which scenarios the run was asked for, in one line (report.json's run.selection; older reports ran them all). */
export function selectionText(s: RunSelection | undefined): string {
  if (!s || s.by === 'all') return 'every scenario';
  if (s.by === 'suite') return `suites ${(s.suites ?? []).join(', ')} (--suite)`;
  const runs = (s.runs ?? []).join(', ');
  return s.by === 'scenario'
    ? `${runs} (--scenario ${(s.scenarios ?? []).join(' ')})`
    : `${runs}: the failures of run ${s.failedFrom?.runId ?? ''} (--failed-from ${s.failedFrom?.dir ?? ''})`;
}

export function cutEvidence(value: unknown, limit = EVIDENCE_LIMIT): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return text.length <= limit
    ? text
    : `${text.slice(0, limit)}\n… cut: ${text.length - limit} more characters (full text in report.json)`;
}

/** A scenario's features; a report.json written before headers carried them has none. */
const featuresOf = (s: ReportScenario): string[] => s.features ?? [];
/** The one-line meaning of a feature (features.ts), empty for a name this version does not know. */
const meaning = (f: string): string => (FEATURES as Record<string, string>)[f] ?? '';

/** A scenario's features as chips; clicking one filters the scenarios by it. */
function featureChips(s: ReportScenario): string {
  const chips = featuresOf(s).map(
    (f) =>
      `<button type="button" class="feature" data-feature="${esc(f)}"${meaning(f) ? ` title="${esc(meaning(f))}"` : ''}>${esc(f)}</button>`,
  );
  return chips.length > 0 ? `<p class="features">${chips.join(' ')}</p>` : '';
}

/** The run's own names of its apps, and why it ran alone, when it did (the header's `alone`). */
function instanceLine(s: ReportScenario): string {
  const names = Object.entries(s.names ?? {}).map(([f, n]) => `<code>${esc(n)}</code> (${esc(f)})`);
  return [
    names.length > 0 ? `<p class="names muted">apps: ${names.join(', ')}</p>` : '',
    s.alone ? `<p class="alone muted">ran alone: ${esc(s.alone)}</p>` : '',
  ].join('');
}

/** Scenario runs per feature and status, every feature of the run, by name. */
function featureCounts(
  scenarios: ReportScenario[],
): { feature: string; passed: number; failed: number; skipped: number }[] {
  const names = [...new Set(scenarios.flatMap(featuresOf))].sort();
  return names.map((feature) => {
    const list = scenarios.filter((s) => featuresOf(s).includes(feature));
    const n = (st: string) => list.filter((s) => s.status === st).length;
    return { feature, passed: n('passed'), failed: n('failed'), skipped: n('skipped') };
  });
}

function featureTable(scenarios: ReportScenario[]): string {
  const rows = featureCounts(scenarios)
    .map(
      (c) =>
        `<tr data-feature-row="${esc(c.feature)}"><td><button type="button" class="feature" data-feature="${esc(c.feature)}">${esc(c.feature)}</button></td><td class="muted">${esc(meaning(c.feature))}</td><td class="num" data-count="passed">${c.passed}</td><td class="num" data-count="failed">${c.failed}</td><td class="num" data-count="skipped">${c.skipped}</td></tr>`,
    )
    .join('');
  return rows
    ? `<table><thead><tr><th>feature</th><th>meaning</th><th>passed</th><th>failed</th><th>skipped</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No features in this run.</p>';
}

function checkList(checks: ReportCheck[], id: (i: number) => string | undefined): string {
  return checks
    .map(
      (c, i) =>
        `<li class="check ${c.status}"${id(i) ? ` id="${esc(id(i))}"` : ''}><span class="mark">${c.status === 'passed' ? '✓' : '✗'}</span> ${esc(c.name)}${c.message ? ` <span class="msg">— ${esc(c.message)}</span>` : ''}<details${c.status === 'failed' ? ' class="failed-evidence"' : ''}><summary>evidence</summary><pre>${esc(cutEvidence(c.evidence))}</pre></details></li>`,
    )
    .join('');
}

/** A retried scenario's earlier attempts, each with its checks and evidence. */
function attemptsSection(s: ReportScenario): string {
  return (s.attempts ?? [])
    .map(
      (a) =>
        `<details class="attempt"><summary>attempt ${a.attempt}: ${a.status}${a.failedCheck ? ` at “${esc(a.failedCheck)}”` : ''} (${(a.durationMs / 1000).toFixed(1)} s)</summary>${a.message ? `<p class="why">${esc(a.message)}</p>` : ''}<ul class="checks">${checkList(a.checks, () => undefined)}</ul></details>`,
    )
    .join('');
}

function scenarioSection(s: ReportScenario, view: HistoryView): string {
  const checks = checkList(s.checks, (i) => checkAnchor(s, i));
  const flaky = view.flaky.get(anchor(s));
  const strip = view.strips.get(anchor(s));
  const notes = s.notes
    ? `<details><summary>notes and diagnostics</summary><pre>${esc(cutEvidence(s.notes, EVIDENCE_LIMIT * 2))}</pre></details>`
    : '';
  return `<section class="scenario ${s.status}" id="${esc(anchor(s))}" data-status="${s.status}" data-area="${esc(s.area)}" data-features="${esc(featuresOf(s).join(' '))}"${flaky ? ' data-flaky="true"' : ''}>
<h3><a href="#${esc(anchor(s))}">${esc(s.id)} [${esc(runLabel(s))}]</a> <span class="badge ${s.status}">${s.status}</span>${flaky ? ` <span class="badge flaky" title="${esc(flaky)}">flaky</span>` : ''} ${esc(s.title)} <span class="dur">${(s.durationMs / 1000).toFixed(1)} s</span>${strip && strip.length > 0 ? ` ${stripHtml(strip, strip.at(-1)?.run ?? '')}` : ''}</h3>
${featureChips(s)}${instanceLine(s)}${flaky ? `<p class="flaky-why">flaky: ${esc(flaky)}</p>` : ''}${s.message && s.status !== 'passed' ? `<p class="why">${esc(s.message)}</p>` : ''}${attemptsSection(s)}<ul class="checks">${checks}</ul>${notes}</section>`;
}

function hostMatrix(hosts: ReportHost[]): string {
  if (hosts.length === 0) return '<p class="muted">No host facts in this run.</p>';
  const cell = (f: { status: string; summary?: string; remediation?: string } | undefined) =>
    `<td class="fact ${esc(f?.status ?? 'unknown')}"${f?.summary ? ` title="${esc([f.summary, f.remediation && `fix: ${f.remediation}`].filter(Boolean).join('\n'))}"` : ''}>${esc(f?.status ?? 'unknown')}</td>`;
  const rows = hosts
    .map(
      (h) =>
        `<tr><td>${esc(h.host)}</td><td>${esc(h.routing)}</td>${cell(h.facts.metadata)}${cell(h.facts.routing)}${cell(h.facts.dns)}${cell(h.facts.tls)}${h.endpoint ? cell(h.endpoint) : '<td class="muted">—</td>'}<td>${esc(h.workload.status)}</td></tr>`,
    )
    .join('');
  return `<table class="matrix"><thead><tr><th>host</th><th>routing</th><th>metadata</th><th>routing</th><th>DNS</th><th>TLS</th><th>endpoint</th><th>workload</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function parityMatrix(scenarios: ReportScenario[]): string {
  const status = (id: string, r: string) => scenarios.find((s) => s.id === id && s.routing === r);
  const failedIn = (id: string) => scenarios.some((s) => s.id === id && s.routing && s.status === 'failed');
  // Failed rows first (in id order), then the rest.
  const ids = [...new Set(scenarios.filter((s) => s.routing).map((s) => s.id))].sort(
    (a, b) => Number(failedIn(b)) - Number(failedIn(a)),
  );
  if (ids.length === 0) return '<p class="muted">No scenario of skyprobe\'s catalog in this run.</p>';
  const cell = (s: ReportScenario | undefined) =>
    s ? `<td class="fact ${s.status}"><a href="#${esc(anchor(s))}">${s.status}</a></td>` : '<td class="muted">—</td>';
  return `<table class="matrix"><thead><tr><th>scenario</th><th>current</th><th>target</th></tr></thead><tbody>${ids
    .map((id) => `<tr><td>${esc(id)}</td>${cell(status(id, 'current'))}${cell(status(id, 'target'))}</tr>`)
    .join('')}</tbody></table>`;
}

/** What ran: the catalog in its routing modes, the upstream suites. */
function ranWhat(r: Report): string {
  const parts = r.run.routing.length > 0 ? [`in ${r.run.routing.join(' and ')} routing`] : [];
  for (const u of r.upstream ?? []) parts.push(`${u.name} ${u.version} against ${u.implementation}`);
  return parts.join(', and ');
}

/** The upstream suites that ran: per profile, core and extended counts as the suite's own report gives them. */
function upstreamSection(suites: ReportUpstreamSuite[]): string {
  if (suites.length === 0) return '';
  const n = (l: { passed: number; failed: number; skipped: number; result: string }) =>
    `<td class="fact ${l.failed > 0 ? 'failed' : l.result === 'success' ? 'passed' : 'skipped'}">${l.result}: ${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped</td>`;
  const rows = suites
    .flatMap((u) =>
      u.profiles.map(
        (p) =>
          `<tr><td>${esc(u.name)} ${esc(u.version)}</td><td>${esc(u.implementation)}</td><td>${esc(p.name)}</td>${n(p.core)}${p.extended ? n(p.extended) : '<td class="muted">—</td>'}<td>${p.extended ? esc(p.extended.supportedFeatures.join(', ')) : ''}</td></tr>`,
      ),
    )
    .join('');
  const problems = suites
    .filter((u) => u.problem)
    .map((u) => `<p class="why">${esc(u.name)}: ${esc(u.problem ?? '')}</p>`)
    .join('');
  const files = suites.map((u) => u.files.map((f) => `<code>${esc(f)}</code>`).join(', ')).join('; ');
  return `<h2>Upstream suites</h2>${problems}<table class="matrix"><thead><tr><th>suite</th><th>implementation</th><th>profile</th><th>core</th><th>extended</th><th>extended features</th></tr></thead><tbody>${rows}</tbody></table><p class="muted">The suites' own files in the run folder: ${files}. Each upstream test is a scenario below (area gateway-api).</p>`;
}

/** SVG: for each host, when route, DNS, certificate and HTTPS became true, from that host's first fact. */
export function timelineSvg(all: ReportHost[]): string {
  const facts = ['routeAccepted', 'dnsResolved', 'certReady', 'httpsOk'] as const;
  const timesOf = (h: ReportHost) =>
    facts
      .map((f) => h.timeline[f])
      .filter(Boolean)
      .map((t) => Date.parse(t as string));
  // Only hosts whose facts were followed over time (TLS-03) have a timeline; the others get no empty row.
  const hosts = all.filter((h) => timesOf(h).length > 0);
  if (hosts.length === 0) return '<p class="muted">No convergence timeline in this run.</p>';
  const left = all.length - hosts.length;
  const note =
    left > 0
      ? `<p class="muted" id="timeline-left-out">${left} of ${all.length} hosts left out: their facts were checked once (FX-01), not followed over time, so they have no timeline.</p>`
      : '';
  const span = Math.max(
    1000,
    ...hosts.map((h) => (timesOf(h).length ? Math.max(...timesOf(h)) - Math.min(...timesOf(h)) : 0)),
  );
  const W = 760;
  const L = 300;
  const rowH = 26;
  let t0 = 0;
  const x = (t: number) => L + ((t - t0) / span) * (W - L - 20);
  const colors: Record<string, string> = {
    routeAccepted: '#4a7',
    dnsResolved: '#47a',
    certReady: '#a74',
    httpsOk: '#a47',
  };
  const rows = hosts
    .map((h, i) => {
      const y = 20 + i * rowH;
      t0 = timesOf(h).length ? Math.min(...timesOf(h)) : 0;
      const dots = facts
        .filter((f) => h.timeline[f])
        .map(
          (f) =>
            `<circle cx="${x(Date.parse(h.timeline[f] as string)).toFixed(1)}" cy="${y}" r="5" fill="${colors[f]}"><title>${f} ${esc(h.timeline[f])}</title></circle>`,
        )
        .join('');
      return `<text x="4" y="${y + 4}" font-size="11">${esc(h.host)} [${esc(h.routing)}]</text> <line x1="${L}" x2="${W - 20}" y1="${y}" y2="${y}" stroke="#ccc"/>${dots}`;
    })
    .join('');
  const legend = facts
    .map(
      (f, i) =>
        `<circle cx="${L + 10 + i * 110}" cy="${24 + hosts.length * rowH}" r="5" fill="${colors[f]}"/><text x="${L + 18 + i * 110}" y="${28 + hosts.length * rowH}" font-size="11">${f}</text>`,
    )
    .join('');
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${40 + hosts.length * rowH}" role="img" aria-label="convergence timeline">${rows}${legend}<text x="${L}" y="12" font-size="10">first fact</text><text x="${W - 60}" y="12" font-size="10">+${(span / 1000).toFixed(1)} s</text></svg>${note}`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#222}
h1{font-size:20px}h2{font-size:16px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:14px;margin:0 0 6px}
.verdict{font-size:18px;padding:10px;border-radius:6px}.verdict.passed{background:#e6f4ea}.verdict.failed{background:#fce8e6}
.badge{font-size:11px;padding:1px 6px;border-radius:8px;color:#fff}.badge.passed{background:#2e7d32}.badge.failed{background:#c62828}.badge.skipped{background:#777}
.scenario{border:1px solid #ddd;border-radius:6px;padding:8px 10px;margin:8px 0}.scenario.failed{border-color:#c62828}
.checks{list-style:none;padding-left:4px;margin:0}.check.failed .mark{color:#c62828}.check.passed .mark{color:#2e7d32}.msg{color:#555}
pre{background:#f6f6f6;padding:6px;overflow:auto;max-height:320px;font-size:12px}.why{color:#c62828}.dur,.muted{color:#777}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.fact.pass,.fact.passed{background:#e6f4ea}
.fact.fail,.fact.failed{background:#fce8e6}.fact.pending{background:#fff4d6}.filters{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #eee}
.features{margin:0 0 6px}.feature{font:11px system-ui,sans-serif;padding:1px 7px;border:1px solid #9ab;border-radius:8px;background:#eef3f7;color:#234;cursor:pointer}
.badge.flaky{background:#b8860b}.flaky-why{color:#8a6500}.signoff th{background:#f6f6f6;width:160px}
#failures,#flaky{margin:6px 0 0;padding-left:20px;font-size:14px}#failures a,#flaky a{color:inherit}
.strip{display:inline-flex;align-items:flex-end;gap:1px;height:20px;vertical-align:middle}.strip .cell{width:8px;display:inline-block}
.cell.p{background:#2e7d32}.cell.f{background:#c62828}.cell.s{background:#bbb}.cell.F{background:#e0a800}.cell.now{outline:2px solid #222}
tr.flaky td{background:#fff8e1}.attempt{border-left:3px solid #e0a800;padding-left:6px;margin:4px 0}
.hidden{display:none}`;

const SCRIPT = `(function(){var q=document.getElementById('q'),st=document.getElementById('status'),ar=document.getElementById('area'),fe=document.getElementById('feature');
function apply(){var t=q.value.toLowerCase(),s=st.value,a=ar.value,f=fe.value,shown=0;document.querySelectorAll('section.scenario').forEach(function(e){
var ok=(!s||e.dataset.status===s)&&(!a||e.dataset.area===a)&&(!f||(' '+e.dataset.features+' ').indexOf(' '+f+' ')>=0)&&(!t||e.textContent.toLowerCase().indexOf(t)>=0);e.classList.toggle('hidden',!ok);if(ok)shown++});
document.getElementById('shown').textContent=shown}q.oninput=st.onchange=ar.onchange=fe.onchange=apply;
document.querySelectorAll('button.feature').forEach(function(b){b.onclick=function(){fe.value=b.dataset.feature;apply();document.getElementById('scenarios').scrollIntoView()}});apply();
function reveal(){var h=location.hash.slice(1);if(!h)return;var e=document.getElementById(h);if(!e)return;var s=e.closest('section.scenario');if(s)s.classList.remove('hidden');var d=e.querySelector('details');if(d)d.open=true}
window.addEventListener('hashchange',reveal);reveal()})();`;

export interface HtmlExtra {
  /** report.json's sha256, shown in the sign-off summary. */
  sha256?: string;
  /** The history index (oldest first), this run in it: strips, flaky marks and the trend. */
  history?: HistoryRun[];
}

export function renderHtml(r: Report, extra: HtmlExtra = {}): string {
  const view = historyView(r, extra.history);
  const failedFirst = [...r.scenarios].sort(
    (a, b) =>
      Number(b.status === 'failed') - Number(a.status === 'failed') ||
      a.id.localeCompare(b.id) ||
      runLabel(a).localeCompare(runLabel(b)),
  );
  const areas = [...new Set(r.scenarios.map((s) => s.area))].sort();
  const byArea = areas
    .map((a) => {
      const list = r.scenarios.filter((s) => s.area === a);
      const n = (st: string) => list.filter((s) => s.status === st).length;
      return `<tr><td>${esc(a)}</td><td class="num" data-count="passed">${n('passed')}</td><td class="num" data-count="failed">${n('failed')}</td><td class="num" data-count="skipped">${n('skipped')}</td></tr>`;
    })
    .join('');
  const verdict = r.summary.failed > 0 ? 'failed' : 'passed';
  const issuance = r.environment.issuance
    ? `, <span title="${esc(r.environment.issuance.summary)}">issuance profile <strong id="issuance-profile">${esc(r.environment.issuance.profile)}</strong></span>`
    : '';
  const env = Object.entries(r.environment.components)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>skyprobe run ${esc(r.run.id)}: ${verdict}</title><style>${STYLE}</style></head><body>
<h1>skyprobe conformance run ${esc(r.run.id)}</h1>
<div class="verdict ${verdict}" id="verdict"><strong>${verdict === 'passed' ? 'PASSED' : 'FAILED'}</strong>:
<span id="count-passed">${r.summary.passed}</span> passed, <span id="count-failed">${r.summary.failed}</span> failed, <span id="count-skipped">${r.summary.skipped}</span> skipped${r.summary.flaky ? `, <span id="count-flaky">${r.summary.flaky}</span> flaky (passed after a retry)` : ''}
${esc(ranWhat(r))}, ${(r.run.durationMs / 1000).toFixed(0)} s${issuance}.${failureList(r, view.flaky)}</div>
<p id="selection">Ran: ${esc(selectionText(r.run.selection))}.</p>
<h2>Sign-off</h2>${signoffSection(r, extra.sha256)}
<h2>By area</h2><table><thead><tr><th>area</th><th>passed</th><th>failed</th><th>skipped</th></tr></thead><tbody>${byArea}</tbody></table>
<h2>By feature</h2><details id="by-feature"><summary>${featureCounts(r.scenarios).length} features: scenario runs by status (a feature filters the scenarios)</summary>${featureTable(r.scenarios)}</details>
<h2>Hosts: the four facts, the endpoint and the workload</h2>${hostMatrix(r.hosts)}
${upstreamSection(r.upstream ?? [])}<h2>Current vs target routing</h2>${parityMatrix(r.scenarios)}
<h2>Convergence timeline</h2>${timelineSvg(r.hosts)}
${historySection(r, extra.history ?? [], view)}
<h2 id="scenarios">Scenarios</h2>
<div class="filters"><input id="q" type="search" placeholder="search checks and evidence" aria-label="search">
<select id="status" aria-label="status"><option value="">all statuses</option><option>failed</option><option>passed</option><option>skipped</option></select>
<select id="area" aria-label="area"><option value="">all areas</option>${areas.map((a) => `<option>${esc(a)}</option>`).join('')}</select>
<select id="feature" aria-label="feature"><option value="">all features</option>${featureCounts(r.scenarios)
    .map((c) => `<option value="${esc(c.feature)}">${esc(c.feature)} (${c.passed + c.failed + c.skipped})</option>`)
    .join('')}</select>
<span class="muted"><span id="shown"></span> shown</span></div>
${failedFirst.map((s) => scenarioSection(s, view)).join('\n')}
<h2>Environment</h2><table><tbody><tr><td>provider</td><td>${esc(r.run.provider)}</td></tr><tr><td>selection</td><td>${esc(selectionText(r.run.selection))}</td></tr>${r.environment.issuance ? `<tr><td>issuance</td><td id="issuance">${esc(r.environment.issuance.summary)}</td></tr>` : ''}${r.environment.layout ? `<tr><td>layout</td><td id="layout">${esc(r.environment.layout)}</td></tr>` : ''}<tr><td>git commit</td><td>${esc(r.run.gitCommit)}</td></tr>
<tr><td>started</td><td>${esc(r.run.startedAt)}</td></tr><tr><td>duration</td><td>${(r.run.durationMs / 1000).toFixed(1)} s</td></tr>${env}</tbody></table>
<script>${SCRIPT}</script></body></html>
`;
}
