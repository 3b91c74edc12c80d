/**
 * index.html's history parts (from history.jsonl, `run --history`): per scenario the last K results as a strip
 * (colour the verdict, height the duration), the flaky mark, and the trend of totals and duration over the runs.
 */
import { HISTORY_DEPTH, type HistoryRun, type StripCell, flakyReason, strip } from './history.ts';
import { anchor, esc } from './html-parts.ts';
import { scenarioKey } from './compare.ts';
import type { Report } from './schema.ts';

const WORD = { p: 'passed', f: 'failed', s: 'skipped', F: 'flaky (passed after a retry)' } as const;

export interface HistoryView {
  /** By scenario anchor: why it is flaky (a retry in this run, or its history). */
  flaky: Map<string, string>;
  /** By scenario anchor: its last K results, this run last. */
  strips: Map<string, StripCell[]>;
}

export function historyView(r: Report, runs: HistoryRun[] = []): HistoryView {
  const flaky = new Map<string, string>();
  const strips = new Map<string, StripCell[]>();
  for (const s of r.scenarios) {
    const key = scenarioKey(s);
    const reason = s.flaky ?? (runs.length > 0 ? flakyReason(runs, key, r.run.id) : undefined);
    if (reason) flaky.set(anchor(s), reason);
    if (runs.length > 0) strips.set(anchor(s), strip(runs, key, r.run.id));
  }
  return { flaky, strips };
}

/** A strip: one cell per run, oldest first; its height is the duration against the longest in the strip. */
export function stripHtml(cells: StripCell[], current: string): string {
  const max = Math.max(1, ...cells.map((c) => c.durationMs));
  return `<span class="strip">${cells
    .map(
      (c) =>
        `<span class="cell ${c.status}${c.run === current ? ' now' : ''}" style="height:${(6 + (14 * c.durationMs) / max).toFixed(0)}px" title="${esc(`${c.run} (${c.startedAt}): ${WORD[c.status]}, ${(c.durationMs / 1000).toFixed(1)} s`)}"></span>`,
    )
    .join('')}</span>`;
}

/** SVG: per run a stacked bar of passed, flaky, failed and skipped, and the run's duration as a line. */
export function trendSvg(runs: HistoryRun[]): string {
  if (runs.length === 0) return '';
  const H = 90;
  const step = Math.max(4, Math.min(16, Math.floor(720 / runs.length)));
  // Wide enough for the first and last run ids under the bars.
  const W = Math.max(360, 40 + runs.length * step);
  const total = Math.max(
    1,
    ...runs.map((r) => r.summary.passed + r.summary.failed + r.summary.skipped + (r.summary.flaky ?? 0)),
  );
  const maxMs = Math.max(1, ...runs.map((r) => r.durationMs));
  const colors = { passed: '#2e7d32', flaky: '#e0a800', failed: '#c62828', skipped: '#999' } as const;
  const bars = runs
    .map((r, i) => {
      let y = H;
      const x = 30 + i * step;
      return (['passed', 'flaky', 'failed', 'skipped'] as const)
        .map((k) => {
          const n = r.summary[k] ?? 0;
          if (n === 0) return '';
          const h = (n / total) * (H - 10);
          y -= h;
          return `<rect x="${x}" y="${y.toFixed(1)}" width="${step - 1}" height="${h.toFixed(1)}" fill="${colors[k]}"><title>${esc(`${r.id}: ${n} ${k}`)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const line = runs
    .map((r, i) => `${30 + i * step + step / 2},${(H - 10 - (r.durationMs / maxMs) * (H - 20) + 10).toFixed(1)}`)
    .join(' ');
  return `<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 14}" role="img" aria-label="trend of totals and duration">${bars}<polyline points="${line}" fill="none" stroke="#236" stroke-width="1.5"><title>duration, longest ${(maxMs / 1000).toFixed(0)} s</title></polyline><text x="2" y="10" font-size="10">${total}</text><text x="2" y="${H}" font-size="10">0</text><text x="30" y="${H + 12}" font-size="10">${esc(runs[0]?.id ?? '')}</text><text x="${W - 4}" y="${H + 12}" font-size="10" text-anchor="end">${esc(runs.at(-1)?.id ?? '')}</text></svg>`;
}

/** The History section: the trend, then a table of every scenario of this run with its strip and flaky mark. */
export function historySection(r: Report, runs: HistoryRun[], view: HistoryView): string {
  if (runs.length === 0)
    return '<h2 id="history">History</h2><p class="muted">No history for this run (skyprobe run --history DIR keeps one; the default is the reports folder).</p>';
  const upTo = runs.findIndex((x) => x.id === r.run.id);
  const shown = (upTo >= 0 ? runs.slice(0, upTo + 1) : runs).slice(-100);
  const rows = [...r.scenarios]
    .sort((a, b) => Number(view.flaky.has(anchor(b))) - Number(view.flaky.has(anchor(a))))
    .map((s) => {
      const a = anchor(s);
      const f = view.flaky.get(a);
      return `<tr data-history="${esc(a)}"${f ? ' class="flaky"' : ''}><td><a href="#${esc(a)}">${esc(scenarioKey(s))}</a></td><td>${stripHtml(view.strips.get(a) ?? [], r.run.id)}</td><td>${f ? `<span class="badge flaky" title="${esc(f)}">flaky</span> ${esc(f)}` : ''}</td></tr>`;
    })
    .join('');
  return `<h2 id="history">History</h2><p class="muted">${shown.length} runs up to this one (of ${runs.length} in the index); each scenario's last ${HISTORY_DEPTH} results, oldest first (height: duration; this run outlined). Flaky: its verdict changed within them with the same commit and component versions, or it passed only after a retry.</p>${trendSvg(shown)}<table class="history"><thead><tr><th>scenario</th><th>last ${HISTORY_DEPTH} runs</th><th>flaky</th></tr></thead><tbody>${rows}</tbody></table>`;
}
