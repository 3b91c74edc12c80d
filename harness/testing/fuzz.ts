/**
 * Bounded fuzzing for the parsers' unit tests (fast-check): what a parser must do with any input is return a value or
 * throw skyprobe's one-line bad-input error (SkyprobeError, exit 2), never a TypeError or a stack. Each property runs
 * for at most FUZZ_MS (or FUZZ_RUNS inputs), then stops, passing if no input broke it.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { SkyprobeError } from '../errors.ts';

export const FUZZ_MS = 2_000;
export const FUZZ_RUNS = 100_000;

/** fast-check's parameters for a bounded run: stop after FUZZ_MS without counting the interruption as a failure. */
export const bounded = { numRuns: FUZZ_RUNS, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false };

/** Text a user could hand in: random text, random bytes read as UTF-8, and YAML of random values. */
export const anyText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('utf8')),
    fc.anything({ maxDepth: 3 }).map((v) => stringify(v ?? null)),
  );

/** `text` with one of its lines replaced, dropped or repeated: a near miss of a valid file. */
export const nearMiss = (text: string): fc.Arbitrary<string> => {
  const lines = text.split('\n');
  return fc
    .tuple(
      fc.nat({ max: lines.length - 1 }),
      fc.constantFrom('replace', 'drop', 'repeat'),
      fc.string({ maxLength: 40 }),
    )
    .map(([i, how, junk]) => {
      const out = [...lines];
      if (how === 'replace') out[i] = junk;
      else if (how === 'drop') out.splice(i, 1);
      else out.splice(i, 0, out[i] ?? '');
      return out.join('\n');
    });
};

/** Run `parse`; true when it returned, false when it threw the one-line bad-input error; anything else is thrown. */
export function acceptsOrRefuses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (err) {
    if (!(err instanceof SkyprobeError)) throw err;
    if (err.exitCode !== 2) throw new Error(`bad input ended with exit ${err.exitCode}: ${err.message}`);
    if (err.message.includes('\n')) throw new Error(`bad input's error is more than one line: ${err.message}`);
    return false;
  }
}
