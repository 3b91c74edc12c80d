/** The HTML page of `report compare --html FILE`: self-contained like index.html (inline style, no request). */
import type { Comparison, CompareEntry } from './compare.ts';
import { esc } from './html-parts.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#222}
h1{font-size:20px}h2{font-size:16px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:24px}
.verdict{font-size:18px;padding:10px;border-radius:6px}.verdict.passed{background:#e6f4ea}.verdict.failed{background:#fce8e6}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.muted{color:#777}
.passed{background:#e6f4ea}.failed{background:#fce8e6}.skipped{background:#eee}`;

function entries(id: string, title: string, list: CompareEntry[]): string {
  if (list.length === 0) return '';
  const cell = (s?: string) => (s ? `<td class="${esc(s)}">${esc(s)}</td>` : '<td class="muted">—</td>');
  const rows = list
    .map(
      (e) =>
        `<tr><td>${esc(e.id)} [${esc(e.label)}]</td><td>${esc(e.title)}</td>${cell(e.base)}${cell(e.head)}<td>${esc(e.failedCheck ?? '')}</td><td>${esc(e.message ?? '')}</td></tr>`,
    )
    .join('');
  return `<h2 id="${id}">${esc(title)} (${list.length})</h2><table><thead><tr><th>scenario</th><th>title</th><th>base</th><th>head</th><th>failing check</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function table(id: string, title: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `<h2 id="${id}">${esc(title)} (${rows.length})</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderCompareHtml(c: Comparison): string {
  const verdict = c.newFailures.length > 0 ? 'failed' : 'passed';
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>skyprobe compare ${esc(c.base.id)} -> ${esc(c.head.id)}</title><style>${STYLE}</style></head><body>
<h1>skyprobe: ${esc(c.base.id)} (${esc(c.base.commit)}) → ${esc(c.head.id)} (${esc(c.head.commit)})</h1>
<p class="verdict ${verdict}" id="verdict"><strong>${c.newFailures.length} new failures</strong>, ${c.fixed.length} fixed, ${c.stillFailing.length} still failing, ${c.newlySkipped.length} newly skipped, ${c.added.length} added, ${c.removed.length} removed.</p>
${entries('new-failures', 'New failures', c.newFailures)}${entries('fixed', 'Fixed', c.fixed)}${entries('still-failing', 'Still failing', c.stillFailing)}${entries('newly-skipped', 'Newly skipped', c.newlySkipped)}${entries('added', 'Added', c.added)}${entries('removed', 'Removed', c.removed)}
${table(
  'durations',
  'Durations',
  ['scenario', 'base', 'head'],
  c.durations.map((d) => [`${d.id} [${d.label}]`, s(d.baseMs), s(d.headMs)]),
)}${table(
    'components',
    'Component versions',
    ['component', 'base', 'head'],
    c.components.map((x) => [x.name, x.base ?? '—', x.head ?? '—']),
  )}${table(
    'hosts',
    'Host facts',
    ['host', 'routing', 'fact', 'base', 'head'],
    c.hosts.map((x) => [x.host, x.routing, x.fact, x.base, x.head]),
  )}
</body></html>
`;
}
