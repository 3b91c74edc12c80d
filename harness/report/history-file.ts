/** history.jsonl on disk: read (a missing file is an empty history) and written whole through a rename. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_FILE, type HistoryRun, parseHistory, renderHistory, upsertHistory } from './history.ts';

export function readHistory(dir: string): HistoryRun[] {
  const file = join(dir, HISTORY_FILE);
  return existsSync(file) ? parseHistory(readFileSync(file, 'utf8')) : [];
}

/** Adds (or replaces) a run's line; returns the history as written. */
export function recordRun(dir: string, entry: HistoryRun): HistoryRun[] {
  const runs = upsertHistory(readHistory(dir), entry);
  const file = join(dir, HISTORY_FILE);
  writeFileSync(`${file}.tmp`, renderHistory(runs));
  renameSync(`${file}.tmp`, file);
  return runs;
}
