import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Rule, fakeRunner } from '../testing/fake-runner.ts';
import { ProxyUnreachableError } from './errors.ts';
import { checkSetup, setup } from './setup.ts';

/** A repository with a one-component pin file, and an empty cache, in temporary folders. */
function world(pin?: string) {
  const repo = mkdtempSync(join(tmpdir(), 'skyprobe-repo-'));
  const cache = mkdtempSync(join(tmpdir(), 'skyprobe-cache-'));
  const moduleDir = mkdtempSync(join(tmpdir(), 'skyprobe-mod-'));
  mkdirSync(join(moduleDir, 'crds'));
  writeFileSync(join(moduleDir, 'crds', 'a.yaml'), 'kind: CustomResourceDefinition\n');
  mkdirSync(join(repo, 'fixtures'));
  writeFileSync(
    join(repo, 'fixtures', 'components.yaml'),
    pin ??
      `go: "1.26"
debian: { pebble: [pebble] }
components:
  - name: demo
    version: v1.2.3
    require: { example.com/demo: v1.2.3 }
    binaries:
      - { name: demo, package: example.com/demo/cmd/demo, version: [--version], expect: demo v1.2.3 }
    files:
      - { module: example.com/demo, from: crds, to: crds }
`,
  );
  return { repo, cache, moduleDir, env: { HOME: '/nonexistent', SKYPROBE_CACHE: cache } };
}

/** A machine where dpkg has pebble, go is 1.26.8 and the proxy serves example.com/demo. */
function machine(moduleDir: string, extra: Rule[] = []) {
  return fakeRunner([
    ...extra,
    // setup asks which are installed; setup --check asks for their versions too (tab-separated), and their commands.
    {
      match: /^dpkg-query/,
      reply: (_f, args) => ({
        output: args.some((a) => a.includes('\t')) ? 'pebble\tii \t2.4.0+ds1-2+b4\n' : 'pebble ii \n',
      }),
    },
    { match: /^sh -c for c do command -v/, reply: { output: '' } },
    { match: /^go version$/, reply: { output: 'go version go1.26.8 linux/amd64' } },
    {
      match: /^go mod download -json/,
      reply: { output: `go: downloading x\n{"Dir": "${moduleDir}", "GoMod": "/dev/null"}` },
    },
    { match: /^go mod tidy$/, reply: {} },
    {
      match: /^go build/,
      reply: (_f, args) => {
        writeFileSync(args[args.indexOf('-o') + 1] as string, '#!/bin/sh\n', { mode: 0o755 });
        return {};
      },
    },
    { match: /\/bin\/demo --version$/, reply: { output: 'demo v1.2.3 linux/amd64' } },
  ]);
}

describe('setup', () => {
  it('builds what is missing in a wrapper module, verifies it, and records it', async () => {
    const w = world();
    const f = machine(w.moduleDir);
    const res = await setup({ repoRoot: w.repo, env: w.env, run: f.run, diskNeeded: 0 });
    expect(res.components).toEqual([
      expect.objectContaining({
        name: 'demo',
        pinned: 'v1.2.3',
        state: 'built',
        verified: [{ binary: 'demo', evidence: 'demo v1.2.3 linux/amd64' }],
      }),
    ]);
    const goMod = readFileSync(join(w.cache, 'demo@v1.2.3', 'wrapper', 'go.mod'), 'utf8');
    expect(goMod).toContain('\texample.com/demo v1.2.3');
    const build = f.calls.find((c) => c.line.startsWith('go build'));
    expect(build?.opts.env).toMatchObject({
      GOMODCACHE: join(w.cache, 'gomod'),
      GOCACHE: join(w.cache, 'gocache'),
      CGO_ENABLED: '0',
    });
    expect(build?.line).toContain('-trimpath');
    expect(readFileSync(join(w.cache, 'demo@v1.2.3', 'crds', 'a.yaml'), 'utf8')).toContain('CustomResourceDefinition');
    const manifest = JSON.parse(readFileSync(join(w.cache, 'demo@v1.2.3', 'component.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'demo', version: 'v1.2.3', goVersion: '1.26.8', files: ['crds'] });
  });

  it('builds nothing the second time (cache hit), and again when the recipe changes', async () => {
    const w = world();
    await setup({ repoRoot: w.repo, env: w.env, run: machine(w.moduleDir).run, diskNeeded: 0 });
    const warm = machine(w.moduleDir);
    const res = await setup({ repoRoot: w.repo, env: w.env, run: warm.run, diskNeeded: 0 });
    expect(res.components[0]?.state).toBe('cached');
    expect(warm.calls.filter((c) => c.line.startsWith('go build') || c.line.startsWith('go mod'))).toEqual([]);

    const pin = join(w.repo, 'fixtures', 'components.yaml');
    writeFileSync(
      pin,
      readFileSync(pin, 'utf8').replace(
        '    binaries:',
        '    ldflags: { example.com/demo.Version: v1.2.3 }\n    binaries:',
      ),
    );
    const changed = machine(w.moduleDir);
    expect((await setup({ repoRoot: w.repo, env: w.env, run: changed.run, diskNeeded: 0 })).components[0]?.state).toBe(
      'built',
    );
    expect(changed.calls.some((c) => c.line.includes('-X example.com/demo.Version=v1.2.3'))).toBe(true);
  });

  it('fails with one line naming the component, the step, the log and the command when the proxy is unreachable', async () => {
    const w = world();
    const f = machine(w.moduleDir, [
      {
        match: /^go mod tidy$/,
        reply: {
          exitCode: 1,
          output: 'go: example.com/demo@v1.2.3: Get "https://proxy.golang.org/x": dial tcp: i/o timeout',
        },
      },
    ]);
    const err = await setup({ repoRoot: w.repo, env: w.env, run: f.run, diskNeeded: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxyUnreachableError);
    const e = err as ProxyUnreachableError;
    expect(e.message).toMatch(/^demo@v1\.2\.3: download modules failed: the Go module proxy cannot be reached/);
    expect(e.logFile).toBe(join(w.cache, 'logs', 'demo@v1.2.3.log'));
    expect(e.command).toContain('go mod tidy');
    // Nothing half-built is taken for a cache hit afterwards.
    const again = await checkSetup({ repoRoot: w.repo, env: w.env, run: machine(w.moduleDir).run });
    expect(again.ok).toBe(false);
    expect(again.components[0]).toMatchObject({ state: 'missing', detail: 'not built yet' });
  });

  it('check verifies each binary now, and fails when one no longer reports its pinned version', async () => {
    const w = world();
    await setup({ repoRoot: w.repo, env: w.env, run: machine(w.moduleDir).run, diskNeeded: 0 });
    const good = await checkSetup({ repoRoot: w.repo, env: w.env, run: machine(w.moduleDir).run });
    expect(good.ok).toBe(true);
    expect(good.components[0]?.verified).toEqual([{ binary: 'demo', evidence: 'demo v1.2.3 linux/amd64' }]);
    const swapped = machine(w.moduleDir, [{ match: /\/bin\/demo --version$/, reply: { output: 'demo v1.2.2' } }]);
    const bad = await checkSetup({ repoRoot: w.repo, env: w.env, run: swapped.run });
    expect(bad.ok).toBe(false);
    expect(bad.components[0]).toMatchObject({
      state: 'failed',
      detail: 'demo: demo does not report version "demo v1.2.3"',
    });
  });

  it('check shows each Debian package with its installed version, and names one missing or without its command', async () => {
    const w = world(`go: "1.26"
debian: { pebble: [pebble, pebble-challtestsrv], haproxy: [haproxy], curl: [curl] }
components: []
`);
    const f = fakeRunner([
      // dpkg has pebble and curl, not haproxy; curl's command is not on PATH.
      {
        match: /^dpkg-query/,
        reply: {
          exitCode: 1,
          output: 'pebble\tii \t2.4.0+ds1-2+b4\ncurl\tii \t7.88.1-10\ndpkg-query: no packages found matching haproxy\n',
        },
      },
      { match: /^sh -c for c do command -v/, reply: (_f, args) => ({ output: args.includes('curl') ? 'curl\n' : '' }) },
      { match: /^go version$/, reply: { output: 'go version go1.26.8 linux/amd64' } },
    ]);
    const res = await checkSetup({ repoRoot: w.repo, env: w.env, run: f.run });
    expect(res.debian.packages).toEqual([
      { name: 'pebble', version: '2.4.0+ds1-2+b4', state: 'installed', commands: ['pebble', 'pebble-challtestsrv'] },
      { name: 'haproxy', state: 'missing', commands: ['haproxy'], detail: 'not installed' },
      {
        name: 'curl',
        version: '7.88.1-10',
        state: 'different',
        commands: ['curl'],
        detail: 'installed, but not on PATH: curl',
      },
    ]);
    expect(res.ok).toBe(false);
    expect(res.problems).toEqual(['debian haproxy: not installed', 'debian curl: installed, but not on PATH: curl']);
    expect(res.goPinned).toBe('1.26');
  });

  it('--kind --engine: the engine starts after the packages and components, before anything asks for an engine', async () => {
    const w = world();
    const f = machine(w.moduleDir, [{ match: /^docker /, reply: { exitCode: 1, output: 'Cannot connect' } }]);
    let before: string[] = [];
    await setup({
      repoRoot: w.repo,
      env: w.env,
      run: f.run,
      diskNeeded: 0,
      kind: 'if-engine',
      startEngine: async () => {
        before = f.calls.map((c) => c.line);
      },
    });
    expect(before.some((l) => l.startsWith('dpkg-query'))).toBe(true);
    expect(before.some((l) => l.startsWith('go build'))).toBe(true);
    expect(before.filter((l) => l.startsWith('docker'))).toEqual([]);
    expect(f.calls.slice(before.length).some((c) => c.line.startsWith('docker'))).toBe(true);
  });

  it('rejects an unknown component name in --only', async () => {
    const w = world();
    await expect(
      setup({ repoRoot: w.repo, env: w.env, run: machine(w.moduleDir).run, only: ['demo', 'nope'] }),
    ).rejects.toThrow('unknown component "nope"');
  });
});
