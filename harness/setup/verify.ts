/**
 * Verifying a built binary: run its version command and find the pinned text; read its embedded build info
 * (`go version -m`) and find the pinned module version. Either one failing fails the component.
 */
import { CommandError } from '../errors.ts';
import type { Runner } from '../exec/runner.ts';
import { TIMEOUTS } from '../timeouts.ts';
import type { BinarySpec, GoComponent } from './components.ts';

/** The version of `module` that a `go version -m` listing shows (as the main module or a dependency). */
export function moduleVersionFromBuildInfo(listing: string, module: string): string | undefined {
  for (const line of listing.split('\n')) {
    const f = line.trim().split(/\s+/);
    if ((f[0] === 'mod' || f[0] === 'dep') && f[1] === module) return f[2];
    if (f[0] === '=>' && f[1] === module) return f[2];
  }
  return undefined;
}

/** The line of a version command's output that holds the expected text. */
export function matchVersionOutput(output: string, expect: string): string | undefined {
  return output
    .split('\n')
    .find((l) => l.includes(expect))
    ?.trim();
}

/** Verify one binary; returns the evidence line, throws a CommandError naming what did not match. */
export async function verifyBinary(
  run: Runner,
  c: GoComponent,
  b: BinarySpec,
  path: string,
  logFile?: string,
): Promise<string> {
  const evidence: string[] = [];
  if (b.version) {
    const res = await run(path, b.version, { timeoutMs: TIMEOUTS.versionCommand, logFile });
    const line = res.exitCode === 0 ? matchVersionOutput(res.output, b.expect ?? '') : undefined;
    if (!line) {
      throw new CommandError(`${c.name}: ${b.name} does not report version "${b.expect}"`, {
        command: res.command,
        exitCode: res.exitCode,
        outputTail: res.output.split('\n').slice(0, 3).join('\n'),
        logFile,
        hint: 'the binary in the cache is not what fixtures/components.yaml pins: rerun `skyprobe setup --rebuild`',
      });
    }
    evidence.push(line);
  }
  if (b.buildInfo) {
    const want = c.require[b.buildInfo];
    const res = await run('go', ['version', '-m', path], { timeoutMs: TIMEOUTS.versionCommand });
    const got = res.exitCode === 0 ? moduleVersionFromBuildInfo(res.output, b.buildInfo) : undefined;
    if (got !== want) {
      throw new CommandError(
        `${c.name}: ${b.name} was built from ${b.buildInfo} ${got ?? '(not found)'}, not ${want}`,
        {
          command: res.command,
          exitCode: res.exitCode,
          logFile,
          hint: 'rerun `skyprobe setup --rebuild`',
        },
      );
    }
    evidence.push(`build info: ${b.buildInfo} ${got}`);
  }
  return evidence.join('; ');
}
