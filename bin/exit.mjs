// How the CLI ends: once what it wrote has reached its readers, then at once. process.exit() alone drops what a
// pipe has not taken yet: output past the pipe's buffer (64 KiB on Linux) that a slow reader (`| jq`) had not read,
// e.g. `domains check --all --json` of a few hundred hosts came out cut at 128 KiB (seen in the scale bench).
/** Exit with `code` after every write so far to stdout and stderr has been handed to the OS. */
export async function exitWhenFlushed(code) {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', resolve))),
    ),
  );
  process.exit(code);
}
