/**
 * A verb that runs in the foreground until the user stops it (`lab up` without --keep). A signal listener alone
 * does not keep Node's event loop alive: with nothing else pending, the top-level await never settles and Node
 * exits at once with code 13, leaving whatever the verb started running. So the wait holds a timer until the first
 * SIGINT or SIGTERM; the clean-up after it then runs with both caught, so that a second Ctrl-C cannot stop it
 * half-way (it says so and the clean-up goes on).
 */

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Resolves with the first SIGINT or SIGTERM; the process stays alive until then. */
export function untilStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    // The longest delay a Node timer takes; renewed for as long as nobody stops the verb.
    const hold = setInterval(() => undefined, 2 ** 31 - 1);
    const stop = (signal: StopSignal) => {
      clearInterval(hold);
      for (const s of STOP_SIGNALS) process.off(s, stop);
      resolve(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, stop);
  });
}

/** Run `body` with SIGINT and SIGTERM caught (each reported to `onSignal`), so that neither ends it half-way. */
export async function uninterrupted<T>(body: () => Promise<T>, onSignal: (signal: StopSignal) => void): Promise<T> {
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    return await body();
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
