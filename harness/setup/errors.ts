/**
 * The ways setup fails, each with its own one-line message and fix. classifyGoFailure reads a failed go
 * command's output and picks the matching one, so that "the proxy is down" never reads as "the code is broken".
 */
import { CommandError, SkyprobeError, tail } from '../errors.ts';
import type { RunResult } from '../exec/runner.ts';

export class GoMissingError extends SkyprobeError {}
export class NotRootError extends SkyprobeError {}
export class DiskFullError extends SkyprobeError {}
export class AptError extends CommandError {}
export class ProxyUnreachableError extends CommandError {}
export class ModuleNotServedError extends CommandError {}
export class BuildError extends CommandError {}

const NETWORK =
  /dial tcp|no such host|i\/o timeout|connection refused|connection reset|TLS handshake timeout|proxyconnect|network is unreachable|server misbehaving/;
const NOT_SERVED = /(403 Forbidden|404 Not Found|410 Gone)|unknown revision|invalid version|not available/;
const DISK = /no space left on device|disk quota exceeded/i;

/** Turn a failed go command of one component's step into the error that says what is wrong. */
export function classifyGoFailure(
  component: string,
  step: string,
  res: RunResult,
  logFile: string,
  reproduce: string,
): CommandError | SkyprobeError {
  const where = `${component}: ${step} failed`;
  const details = { command: reproduce, exitCode: res.exitCode, outputTail: tail(res.output, 3), logFile };
  if (DISK.test(res.output))
    return new DiskFullError(`${where}: the disk is full`, {
      hint: `free disk space for the cache (${logFile.replace(/\/logs\/.*$/, '')}), then rerun skyprobe setup`,
    });
  if (res.timedOut)
    return new BuildError(`${where}: timed out`, { ...details, hint: `see ${logFile}; reproduce with: ${reproduce}` });
  if (NETWORK.test(res.output))
    return new ProxyUnreachableError(
      `${where}: the Go module proxy cannot be reached (GOPROXY=${process.env.GOPROXY ?? 'go env default'})`,
      {
        ...details,
        hint: `check the network path to the Go module proxy; log: ${logFile}`,
      },
    );
  if (NOT_SERVED.test(res.output))
    return new ModuleNotServedError(`${where}: a pinned module version is not served by the Go module proxy`, {
      ...details,
      hint: `pick a served version in fixtures/components.yaml (go list -m -versions MODULE); log: ${logFile}`,
    });
  return new BuildError(`${where} (exit ${res.exitCode})`, {
    ...details,
    hint: `see ${logFile}; reproduce with: ${reproduce}`,
  });
}
