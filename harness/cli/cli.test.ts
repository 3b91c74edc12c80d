import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const skyprobe = (...args: string[]) => execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });

describe('the skyprobe CLI', () => {
  it('--help lists every verb of the design with one line each', async () => {
    const r = await skyprobe('--help');
    expect(r.exitCode).toBe(0);
    for (const verb of [
      'setup',
      'lab up',
      'lab down',
      'lab status',
      'lab kubeconfig',
      'lab exec',
      'deploy',
      'run',
      'domains check',
      'mgmt status',
      'report open',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${verb} .*\\S`, 'm'));
  });

  it('a reader that stops early (skyprobe ... --help | head -1) ends it quietly: exit 0, no stack trace', async () => {
    const r = await execa('bash', ['-o', 'pipefail', '-c', `node ${bin} domains check --help | head -1`], {
      reject: false,
    });
    expect(r.stdout).toBe('Usage: skyprobe domains check [options] [host...]');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('domains check --help shows no made-up default for --edge', async () => {
    const r = await skyprobe('domains', 'check', '--help');
    expect(r.stdout).toMatch(/--edge <ip> .*default: Gateway\/Ingress status\n/s);
    expect(r.stdout).not.toContain('(default: [])');
  });

  it('an unknown verb is one clear line and exit 2', async () => {
    const r = await skyprobe('frobnicate');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('an unknown flag is exit 2', async () => {
    const r = await skyprobe('setup', '--frob');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option '--frob'");
  });

  it('setup --check shows every pinned thing and, with nothing built, exits 1 naming each component', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'skyprobe-cache-'));
    try {
      const r = await execa('node', [bin, 'setup', '--check'], {
        reject: false,
        env: { NO_COLOR: '1', SKYPROBE_CACHE: cache },
      });
      expect(r.exitCode, r.stderr).toBe(1);
      // Go, every Debian package with its installed version, every component, the kind provider's pins.
      expect(r.stdout).toMatch(/^go +1\.26 or newer +\d+\.\d+/m);
      expect(r.stdout).toMatch(/^pebble +\S+ +installed +pebble, pebble-challtestsrv$/m);
      expect(r.stdout).toMatch(/^haproxy +\S+ +installed +haproxy$/m);
      expect(r.stdout).toMatch(/^kubernetes +v1\.36\.3 +missing/m);
      expect(r.stdout).toMatch(/^kind +v\d+\.\d+\.\d+ +node image kindest\/node:/m);
      expect(r.stderr).toMatch(/^error: not as pinned: kubernetes@v1\.36\.3: missing \(not built yet\); etcd@/m);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('an unknown component for setup names the choices, exit 2, no stack trace', async () => {
    const r = await skyprobe('setup', '--check', '--only', 'nginx');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: unknown component "nginx"');
    expect(r.stderr).toMatch(/hint: choose from: kubernetes, etcd/);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('run on a provider that is not available: one line with the fix, exit 2, no run folder left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-run-'));
    try {
      const r = await skyprobe(
        'run',
        '--provider',
        'existing',
        '--kubeconfig',
        '/nonexistent/kubeconfig',
        '--out',
        join(dir, 'out'),
      );
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(
        'error: provider existing is not available here: kubeconfig /nonexistent/kubeconfig does not exist',
      );
      expect(r.stderr).toContain('hint: check --kubeconfig');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('run --scenario / --failed-from: bad input is one line and exit 2, with nothing started', () => {
    const inTmp = async (fn: (dir: string) => Promise<void>) => {
      const dir = mkdtempSync(join(tmpdir(), 'skyprobe-select-'));
      try {
        await fn(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    it('an unknown scenario id names the close ids', () =>
      inTmp(async (dir) => {
        const r = await skyprobe('run', '--scenario', 'TLS-04', '--scenario', 'TLS-4', '--out', join(dir, 'out'));
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toContain('error: unknown scenario "TLS-4"');
        expect(r.stderr).toMatch(/hint: close ids: TLS-04, TLS-01, /);
        expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
        expect(r.stderr).not.toContain('cluster');
        expect(existsSync(join(dir, 'out'))).toBe(false);
      }));
    it('--failed-from a folder without report.json', () =>
      inTmp(async (dir) => {
        const r = await skyprobe('run', '--failed-from', dir, '--out', join(dir, 'out'));
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toContain(`error: --failed-from ${dir}: the folder has no report.json`);
        expect(existsSync(join(dir, 'out'))).toBe(false);
      }));
    it('--failed-from a run that had no failure: one line, exit 0, nothing run', () =>
      inTmp(async (dir) => {
        writeFileSync(
          join(dir, 'report.json'),
          JSON.stringify({
            schema: 'skyprobe.report/v1',
            run: { id: 'r0' },
            summary: { passed: 1, failed: 0, skipped: 0 },
            scenarios: [{ id: 'TLS-04', routing: 'current', status: 'passed' }],
          }),
        );
        const r = await skyprobe('run', '--failed-from', dir, '--out', join(dir, 'out'));
        expect(r.exitCode).toBe(0);
        expect(r.stderr.trim()).toBe(`nothing to rerun: run r0 in ${dir} had no failed scenario (1 passed, 0 skipped)`);
        expect(r.stdout).toBe('');
        expect(existsSync(join(dir, 'out'))).toBe(false);
      }));
    it('--suite with --scenario', async () => {
      const r = await skyprobe('run', '--suite', 'tls', '--scenario', 'TLS-04');
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('error: --suite and --scenario do not combine: give one of them');
    });
  });

  describe('domains check: bad input is one line and exit 2, before anything is probed', () => {
    const noStack = (stderr: string) => expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    it('an invalid hostname', async () => {
      const r = await skyprobe('domains', 'check', 'https://shop.example.com/');
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('error: "https://shop.example.com/" is not a valid hostname');
      noStack(r.stderr);
    });
    it('an unreadable metadata file', async () => {
      const r = await skyprobe(
        'domains',
        'check',
        'shop.example.com',
        '--metadata',
        '/nonexistent/platform.yaml',
        '--kubeconfig',
        '/nonexistent/kubeconfig',
      );
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('error: cannot read metadata file /nonexistent/platform.yaml: ENOENT');
      noStack(r.stderr);
    });
    it('an unreachable kubeconfig, within 5 s', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'skyprobe-kc-'));
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
      );
      try {
        const t0 = Date.now();
        const r = await skyprobe('domains', 'check', 'shop.example.com', '--kubeconfig', file);
        expect(Date.now() - t0).toBeLessThan(8_000);
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toMatch(/error: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1 .*ECONNREFUSED/);
        noStack(r.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it('an --edge that is not an address', async () => {
      const r = await skyprobe('domains', 'check', 'shop.example.com', '--edge', 'lb.example.com');
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('error: --edge "lb.example.com" is not an IP address');
    });
    it('an --expect-status that is not a status, a --path that is not a path', async () => {
      const r = await skyprobe('domains', 'check', 'shop.example.com', '--expect-status', '2xx');
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        'error: --expect-status "2xx" is not an HTTP status',
        '  hint: give the status the app answers on --path, e.g. --expect-status 200',
      ]);
      const p = await skyprobe('domains', 'check', 'shop.example.com', '--path', 'healthz');
      expect(p.exitCode).toBe(2);
      expect(p.stderr).toContain('error: --path "healthz" is not an absolute URL path');
    });
  });

  describe('domains check --all: a wrong mix of hosts and flags is one line and exit 2, before anything is read', () => {
    for (const [args, line] of [
      [['shop.example.com', '--all'], 'error: give hostnames or --all, not both (got --all and shop.example.com)'],
      [[], 'error: no hostnames given'],
      [
        ['shop.example.com', '--namespace', 'org-acme'],
        'error: --namespace narrows --all; it does not apply to hostnames given by name',
      ],
      [['--all', '--namespace', 'Org_Acme'], 'error: --namespace "Org_Acme" is not a valid namespace name'],
      [['--all', '--concurrency', '0'], 'error: --concurrency "0" is not a whole number from 1 to 256'],
    ] as [string[], string][])
      it(args.join(' ') || '(nothing)', async () => {
        // A kubeconfig that does not exist: had anything been read, the error would name it instead.
        const r = await skyprobe('domains', 'check', ...args, '--kubeconfig', '/nonexistent/kubeconfig');
        expect(r.exitCode).toBe(2);
        expect(r.stderr.split('\n')[0]).toBe(line);
        expect(r.stderr).toContain('hint: ');
        expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
      });
  });
});
