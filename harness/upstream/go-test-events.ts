/**
 * The event stream of `go tool test2json` (one JSON object per line: run, output, pass, fail, skip, ...), folded
 * into one record per upstream test: the direct subtests of the suite's Go test function (TestConformance/<Name>).
 * Deeper subtests become that test's steps; output is kept per test, bounded, for the report's evidence (the whole
 * stream stays in the run folder's log).
 */

export type UpstreamStatus = 'passed' | 'failed' | 'skipped';

export interface UpstreamStep {
  name: string;
  status: UpstreamStatus;
}

export interface UpstreamTest {
  /** The upstream test's short name (Gateway API: the ConformanceTest's ShortName). */
  name: string;
  status: UpstreamStatus;
  durationMs: number;
  /** Subtests below it, in the order they ended. */
  steps: UpstreamStep[];
  /** Its output lines (its subtests' included), the last OUTPUT_LINES of them. */
  output: string[];
  /** How many earlier lines were left out of `output`. */
  outputLeftOut: number;
}

/** One test2json event (https://pkg.go.dev/cmd/test2json). */
interface GoTestEvent {
  Action: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
}

export const OUTPUT_LINES = 40;
const LINE_CHARS = 400;

const STATUS: Record<string, UpstreamStatus> = { pass: 'passed', fail: 'failed', skip: 'skipped' };

/** The line a test prints when the suite skips it (not in the profiles, a feature not declared, a known failure). */
const SKIPPING = /^\s*\S+\.go:\d+: Skipping /;

/**
 * Folds test2json lines as they come; `push` says which test started or ended with this line. A test counts as
 * started with its first line of output that is not the suite's "Skipping" line (a skipped test never starts), or
 * when it ends without having printed one.
 */
export class GoTestStream {
  private readonly open = new Map<string, UpstreamTest>();
  private readonly announced = new Set<string>();
  private readonly done: UpstreamTest[] = [];
  /** Output of the suite function itself (set-up, teardown), bounded like a test's. */
  readonly suite: UpstreamTest;
  /** Lines that were not test2json events (the binary's own crash output, a tool error). */
  readonly stray: string[] = [];

  constructor(private readonly root: string) {
    this.suite = { name: root, status: 'passed', durationMs: 0, steps: [], output: [], outputLeftOut: 0 };
  }

  push(line: string): { started?: string; ended?: UpstreamTest } {
    let e: GoTestEvent;
    try {
      e = JSON.parse(line) as GoTestEvent;
    } catch {
      if (line.trim() !== '') keep(this.stray, line, { leftOut: 0 });
      return {};
    }
    if (typeof e !== 'object' || e === null || typeof e.Action !== 'string') return {};
    const parts = e.Test?.split('/') ?? [];
    if (parts[0] !== this.root) return {};
    const name = parts[1];
    if (name === undefined) return this.onSuite(e);
    let t = this.open.get(name);
    if (!t) {
      if (e.Action !== 'run') return {};
      t = { name, status: 'passed', durationMs: 0, steps: [], output: [], outputLeftOut: 0 };
      this.open.set(name, t);
      return {};
    }
    if (e.Action === 'output' && e.Output !== undefined) {
      const counted = addOutput(t, e.Output);
      return counted && !SKIPPING.test(e.Output) ? this.announce(name) : {};
    }
    const status = STATUS[e.Action];
    if (!status) return {};
    if (parts.length > 2) {
      t.steps.push({ name: parts.slice(2).join('/'), status });
      return {};
    }
    t.status = status;
    t.durationMs = Math.round((e.Elapsed ?? 0) * 1000);
    this.open.delete(name);
    this.done.push(t);
    return { ...(status !== 'skipped' ? this.announce(name) : {}), ended: t };
  }

  private announce(name: string): { started?: string } {
    if (this.announced.has(name)) return {};
    this.announced.add(name);
    return { started: name };
  }

  private onSuite(e: GoTestEvent): { started?: string; ended?: UpstreamTest } {
    if (e.Action === 'output' && e.Output !== undefined) addOutput(this.suite, e.Output);
    const status = STATUS[e.Action];
    if (status) {
      this.suite.status = status;
      this.suite.durationMs = Math.round((e.Elapsed ?? 0) * 1000);
    }
    return {};
  }

  /** Every test that ended, then those still open (the suite stopped inside them: failed, with what they printed). */
  tests(): UpstreamTest[] {
    return [...this.done, ...[...this.open.values()].map((t) => ({ ...t, status: 'failed' as const }))];
  }
}

/** Keep a line of the test's output; false for the framing lines test2json repeats as output (and blank ones). */
function addOutput(t: UpstreamTest, text: string): boolean {
  const line = text.replace(/\n$/, '');
  // test2json repeats the framing lines (=== RUN, --- PASS) as output: the events already say it.
  if (/^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP))/.test(line) || line.trim() === '') return false;
  const box = { leftOut: t.outputLeftOut };
  keep(t.output, line, box);
  t.outputLeftOut = box.leftOut;
  return true;
}

function keep(lines: string[], line: string, box: { leftOut: number }): void {
  // A long line keeps its start (which check, which request) and its end (the suite's verdict on it).
  lines.push(
    line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS * 0.375)} … ${line.slice(-LINE_CHARS * 0.625)}` : line,
  );
  if (lines.length > OUTPUT_LINES) {
    lines.shift();
    box.leftOut += 1;
  }
}
