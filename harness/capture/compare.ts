/** Capture-time and replayed checks of the same hosts, side by side: per fact and the endpoint, same or not, and why. */
import { FACT_NAMES, type DomainReport, type FactStatus } from '../facts/fact.ts';

export interface ElementComparison {
  host: string;
  element: string;
  captured: FactStatus;
  replayed: FactStatus | 'missing';
  same: boolean;
  /** When they differ: both summaries. */
  why?: string;
}

const ELEMENTS = [...FACT_NAMES, 'endpoint'] as const;
const element = (r: DomainReport, e: (typeof ELEMENTS)[number]) => (e === 'endpoint' ? r.endpoint : r.facts[e]);

export function compareChecks(captured: DomainReport[], replayed: DomainReport[]): ElementComparison[] {
  return captured.flatMap((c) => {
    const r = replayed.find((x) => x.host === c.host);
    return ELEMENTS.map((e) => {
      const was = element(c, e);
      const now = r && element(r, e);
      const same = now?.status === was.status;
      const out: ElementComparison = {
        host: c.host,
        element: e,
        captured: was.status,
        replayed: now?.status ?? 'missing',
        same,
      };
      if (!same) out.why = `captured: ${was.summary} | replayed: ${now?.summary ?? 'not checked'}`;
      return out;
    });
  });
}

export const allSame = (rows: ElementComparison[]) => rows.every((r) => r.same);

/** The side-by-side table (plain text). */
export function renderComparison(rows: ElementComparison[]): string {
  const head = ['HOST', 'ELEMENT', 'CAPTURED', 'REPLAYED', ''];
  const body = rows.map((r) => [r.host, r.element, r.captured, r.replayed, r.same ? 'same' : 'DIFFERS']);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const why = rows.filter((r) => !r.same).map((r) => `  ${r.host} ${r.element}: ${r.why}`);
  return `${[line(head), ...body.map(line)].join('\n')}\n${why.length > 0 ? `\nDifferences:\n${why.join('\n')}\n` : ''}`;
}
