/**
 * The report's file names and compare's defaults, apart from the code that uses them, so that the CLI can name them
 * in its help without loading the report layer (harness/cli/start.test.ts).
 */

/** The history index of a reports folder: one line per run (history.ts). */
export const HISTORY_FILE = 'history.jsonl';

/** report.json's sha256, beside it in the run folder (signoff.ts). */
export const SHA_FILE = 'report.json.sha256';

/** compare's thresholds for a duration change: beyond this share of the base, and beyond this many ms. */
export const COMPARE_DEFAULTS = { durationRatio: 0.5, durationMinMs: 1000 } as const;
