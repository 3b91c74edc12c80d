import { describe, expect, it } from 'vitest';
import type { RunResult } from '../exec/runner.ts';
import { BuildError, DiskFullError, ModuleNotServedError, ProxyUnreachableError, classifyGoFailure } from './errors.ts';

const res = (output: string, extra: Partial<RunResult> = {}): RunResult => ({
  command: 'go mod tidy',
  exitCode: 1,
  output,
  timedOut: false,
  notFound: false,
  durationMs: 5,
  ...extra,
});
const classify = (r: RunResult) =>
  classifyGoFailure('traefik@v3.6.12', 'download modules', r, '/c/logs/traefik@v3.6.12.log', '(cd /w && go mod tidy)');

describe('classifying a failed go command', () => {
  it('says the proxy cannot be reached when the network fails', () => {
    const err = classify(
      res(
        'go: github.com/x/y@v1.0.0: Get "https://proxy.golang.org/...": dial tcp: lookup proxy.golang.org: no such host',
      ),
    );
    expect(err).toBeInstanceOf(ProxyUnreachableError);
    expect(err.message).toMatch(/^traefik@v3\.6\.12: download modules failed: the Go module proxy cannot be reached/);
    expect(err.hint).toContain('/c/logs/traefik@v3.6.12.log');
  });

  it('says a version is not served when the proxy refuses it', () => {
    const err = classify(
      res(
        'reading https://proxy.golang.org/x/@v/v0.0.0-1.info: 403 Forbidden\n\tserver response: This module version is not available.',
      ),
    );
    expect(err).toBeInstanceOf(ModuleNotServedError);
    expect(err.hint).toContain('fixtures/components.yaml');
  });

  it('says the disk is full', () => {
    expect(classify(res('write /c/gocache/xx: no space left on device'))).toBeInstanceOf(DiskFullError);
  });

  it('otherwise reports a build failure with the command that reproduces it and the log', () => {
    const err = classify(res('./main.go:3:2: undefined: foo', { exitCode: 1 }));
    expect(err).toBeInstanceOf(BuildError);
    expect(err.message).toBe('traefik@v3.6.12: download modules failed (exit 1)');
    expect(err.hint).toBe('see /c/logs/traefik@v3.6.12.log; reproduce with: (cd /w && go mod tidy)');
    expect((err as BuildError).outputTail).toContain('undefined: foo');
  });

  it('reports a timeout as such', () => {
    expect(classify(res('', { timedOut: true })).message).toMatch(/timed out$/);
  });
});
