/** The hand-over of `skyprobe run --scenario`/`--failed-from` to the conformance workers (register.ts reads it). */
import { describe, expect, it } from 'vitest';
import { isSelected, runName, selectedRuns, selectedValue } from './selected.ts';

describe('SKYPROBE_SELECTED', () => {
  const runs = [
    { id: 'TLS-04', routing: 'current' as const },
    { id: 'DP-01', routing: 'target' as const },
  ];
  it('round-trips the chosen runs', () => {
    expect(selectedRuns(selectedValue(runs))).toEqual(runs);
    expect(runs.map(runName)).toEqual(['TLS-04 [current]', 'DP-01 [target]']);
  });
  it('unset or empty: no selection, every scenario runs', () => {
    expect(selectedRuns(undefined)).toBeUndefined();
    expect(selectedRuns('')).toBeUndefined();
    expect(isSelected(undefined, 'CD-01', 'current')).toBe(true);
  });
  it('set: exactly those scenario runs, each in its own mode', () => {
    const s = selectedRuns(selectedValue(runs));
    expect(isSelected(s, 'TLS-04', 'current')).toBe(true);
    expect(isSelected(s, 'TLS-04', 'target')).toBe(false);
    expect(isSelected(s, 'DP-01', 'target')).toBe(true);
    expect(isSelected(s, 'CD-01', 'current')).toBe(false);
    expect(isSelected([], 'TLS-04', 'current')).toBe(false);
  });
  it('a value that is not a list of {id, routing} is an error, not "everything"', () => {
    expect(() => selectedRuns('{"id":"TLS-04"}')).toThrow(/must be a JSON list of \{id, routing\}/);
    expect(() => selectedRuns('[{"id":"TLS-04","routing":"both"}]')).toThrow(/must be a JSON list/);
  });
});
