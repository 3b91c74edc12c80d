/** What every part of index.html shares: escaping and the anchors of scenarios and of their checks. */
import { type ReportScenario, runLabel } from './schema.ts';

export function esc(s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const anchor = (s: Pick<ReportScenario, 'id' | 'routing' | 'suite'>) => `${s.id}-${runLabel(s)}`;

/** The anchor of a scenario's check (its i-th, from 0), where its evidence is. */
export const checkAnchor = (s: Pick<ReportScenario, 'id' | 'routing' | 'suite'>, i: number) =>
  `${anchor(s)}-check-${i}`;
