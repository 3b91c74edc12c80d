/**
 * Progress for long steps. Library code takes a Progress (no-op by default) and never prints by itself;
 * the CLI passes one that writes to stderr, so stdout stays for data (paths, JSON).
 */
export interface Progress {
  /** A step began: `component` and `step` name it. */
  start(component: string, step: string): void;
  /** A step ended, with its elapsed milliseconds. */
  end(component: string, step: string, ok: boolean, elapsedMs: number, detail?: string): void;
  /** A free-form line (user-facing, level 0). */
  info(line: string): void;
}

export const silentProgress: Progress = { start() {}, end() {}, info() {} };

export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** Progress on a stream: one line when a step starts, one when it ends, a heartbeat while it runs long. */
export function streamProgress(out: NodeJS.WritableStream, heartbeatMs = 30_000): Progress & { close(): void } {
  const started = new Map<string, number>();
  const t0 = Date.now();
  const stamp = () => `[${formatElapsed(Date.now() - t0).padStart(6)}]`;
  const timer = setInterval(() => {
    for (const [key, at] of started) {
      if (Date.now() - at >= heartbeatMs)
        out.write(`${stamp()} … ${key} still running (${formatElapsed(Date.now() - at)})\n`);
    }
  }, heartbeatMs);
  timer.unref();
  return {
    start(component, step) {
      started.set(`${component} ${step}`, Date.now());
      out.write(`${stamp()} • ${component}: ${step}\n`);
    },
    end(component, step, ok, elapsedMs, detail) {
      started.delete(`${component} ${step}`);
      out.write(
        `${stamp()} ${ok ? '✓' : '✗'} ${component}: ${step} (${formatElapsed(elapsedMs)})${detail ? ` ${detail}` : ''}\n`,
      );
    },
    info(line) {
      out.write(`${stamp()}   ${line}\n`);
    },
    close() {
      clearInterval(timer);
    },
  };
}

/** One step of a long job: its start and end lines (with ✓/✗ and the time it took) around `body`. */
export async function timedStep<T>(
  progress: Progress,
  component: string,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  const t0 = Date.now();
  progress.start(component, name);
  try {
    const out = await body();
    progress.end(component, name, true, Date.now() - t0);
    return out;
  } catch (err) {
    progress.end(component, name, false, Date.now() - t0);
    throw err;
  }
}
