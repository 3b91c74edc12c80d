/**
 * Bad input, one row of docs/bad-input.md per test: every verb with malformed flags, and an app fixture, a metadata
 * file and a kubeconfig each broken several ways, through the real CLI. Each must end with exit 2 and one `error:`
 * line (and at most one line of hint or usage after it), no stack, nothing on stdout, nothing applied (the run
 * folder it may use stays empty: no lab, no state) and nothing left running (no process carrying the row's marker,
 * which every child of the CLI inherits). The pin file has no flag (setup reads fixtures/components.yaml): its rows
 * are on its parser, in harness/setup/components.test.ts; duplicate hosts across apps is a refusal of deploy,
 * harness/stack/deploy.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'skyprobe-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of the row's input, in the test's folder. */
const file = (name: string, body: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const garbage = randomBytes(4096);
const app = (extra: string) => `org: acme\napp: shop\nimage: skyprobe/echo:1\n${extra}`;
const kubeconfig = (server: string) =>
  `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
/** A kubeconfig that parses, at an address nobody answers on (loopback, a closed port): only for metadata rows. */
const reachable = () => file('reachable.kubeconfig', kubeconfig('https://127.0.0.1:1'));

/** Processes that carry this marker in their environment (the CLI's children inherit it). */
function marked(marker: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/environ`, 'latin1').includes(`SKYPROBE_BAD_INPUT=${marker}`)) out.push(Number(e));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

async function badInput(args: string[], expected: RegExp): Promise<void> {
  const marker = randomBytes(6).toString('hex');
  const runDir = mkdtempSync(join(dir, 'run-'));
  const r = await execa('node', [bin, ...args], {
    reject: false,
    timeout: 90_000,
    env: { NO_COLOR: '1', SKYPROBE_RUN_DIR: runDir, SKYPROBE_BAD_INPUT: marker },
  });
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(r.exitCode, r.stderr).toBe(2);
  expect(lines[0]).toMatch(expected);
  expect(
    lines.filter((l) => l.startsWith('error:')),
    r.stderr,
  ).toHaveLength(1);
  expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
  expect(r.stderr).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
  expect(r.stdout).toBe('');
  expect(readdirSync(runDir)).toEqual([]);
  expect(marked(marker)).toEqual([]);
}

type Row = [string, () => string[], RegExp];

const flags: Row[] = [
  ['setup: unknown flag', () => ['setup', '--frob'], /^error: unknown option '--frob'$/],
  ['setup --only without a value', () => ['setup', '--only'], /^error: option '--only <names>' argument missing$/],
  [
    'setup --only an unknown component',
    () => ['setup', '--check', '--only', 'nginx'],
    /^error: unknown component "nginx"$/,
  ],
  [
    'lab up --nodes not a number',
    () => ['lab', 'up', '--nodes', 'x'],
    /^error: --nodes must be a whole number from 1 to \d+, not "x"$/,
  ],
  ['lab up --nodes out of range', () => ['lab', 'up', '--nodes', '99'], /^error: --nodes must be a whole number/],
  [
    'lab up --issuance not a profile',
    () => ['lab', 'up', '--issuance', 'slow'],
    /^error: option '--issuance <profile>' argument 'slow' is invalid/,
  ],
  ['lab up: unknown flag', () => ['lab', 'up', '--frob'], /^error: unknown option '--frob'$/],
  ['lab down: unknown flag', () => ['lab', 'down', '--frob'], /^error: unknown option '--frob'$/],
  ['lab status: unknown flag', () => ['lab', 'status', '--frob'], /^error: unknown option '--frob'$/],
  [
    'lab kubeconfig: an argument too many',
    () => ['lab', 'kubeconfig', 'extra'],
    /^error: too many arguments for 'kubeconfig'/,
  ],
  ['lab exec without a host', () => ['lab', 'exec'], /^error: missing required argument 'netns'$/],
  ['deploy without a file', () => ['deploy'], /^error: missing required argument 'file'$/],
  [
    'deploy --routing not a mode',
    () => ['deploy', 'fixtures/apps/shop.yaml', '--routing', 'sideways'],
    /^error: option '--routing <mode>' argument 'sideways' is invalid/,
  ],
  [
    'deploy: a file that does not exist',
    () => ['deploy', join(dir, 'nope.yaml')],
    /^error: cannot read the app fixture /,
  ],
  [
    'run --routing not a mode',
    () => ['run', '--routing', 'sideways'],
    /^error: option '--routing <mode>' argument 'sideways' is invalid/,
  ],
  [
    'run --provider unknown',
    () => ['run', '--provider', 'nope'],
    /^error: option '--provider <name>' argument 'nope' is invalid/,
  ],
  [
    'run --retries negative',
    () => ['run', '--retries', '-1'],
    /^error: option '--retries <n>' argument '-1' is invalid/,
  ],
  [
    'run --retries not a number',
    () => ['run', '--retries', 'x'],
    /^error: option '--retries <n>' argument 'x' is invalid/,
  ],
  ['run --scenario unknown', () => ['run', '--scenario', 'NOPE-99'], /^error: unknown scenario "NOPE-99"$/],
  ['run --suite unknown', () => ['run', '--suite', 'nope'], /^error: unknown suite "nope"$/],
  [
    'run --failed-from a folder that does not exist',
    () => ['run', '--failed-from', join(dir, 'nope')],
    /^error: --failed-from .*: no such folder$/,
  ],
  ['domains check without hosts', () => ['domains', 'check'], /^error: no hostnames given$/],
  [
    'domains check an invalid host name',
    () => ['domains', 'check', 'bad host!'],
    /^error: "bad host!" is not a valid hostname$/,
  ],
  [
    'domains check --concurrency 0',
    () => ['domains', 'check', '--concurrency', '0', 'a.example.com'],
    /^error: --concurrency "0" is not a whole number/,
  ],
  [
    'domains check --expect-status not a status',
    () => ['domains', 'check', 'a.example.com', '--expect-status', '9999'],
    /^error: --expect-status "9999" is not an HTTP status$/,
  ],
  ['mgmt status: unknown flag', () => ['mgmt', 'status', '--frob'], /^error: unknown option '--frob'$/],
  ['report build: no run folder', () => ['report', 'build', join(dir, 'nope')], /^error: no report.json at /],
  [
    'report compare: no run folders',
    () => ['report', 'compare', join(dir, 'a'), join(dir, 'b')],
    /^error: no report.json at /,
  ],
  ['report verify: no run folder', () => ['report', 'verify', join(dir, 'nope')], /^error: no report.json in /],
  ['report open: no index.html', () => ['report', 'open', join(dir, 'nope')], /^error: no index.html in /],
  ['an unknown verb', () => ['frob'], /^error: unknown command 'frob'$/],
];

const fixtures: Row[] = [
  [
    'app fixture: wrong type',
    () => ['deploy', file('type.yaml', app('replicas: "two"\n'))],
    /replicas: must be a whole number from 1 to 10$/,
  ],
  [
    'app fixture: unknown key',
    () => ['deploy', file('key.yaml', app('colour: red\n'))],
    /colour: unknown key \(allowed: /,
  ],
  [
    'app fixture: invalid host name',
    () => ['deploy', file('host.yaml', app('customDomains: [shop_.example.com]\n'))],
    /customDomains\[0\]: "shop_.example.com" is not a valid hostname$/,
  ],
  [
    'app fixture: a host listed twice',
    () => ['deploy', file('dup.yaml', app('customDomains: [a.example.com]\naliases: [a.example.com]\n'))],
    /"a.example.com" is listed twice$/,
  ],
  [
    'app fixture: oversized file',
    () => ['deploy', file('big.yaml', app(`# ${'x'.repeat(200_000)}\n`))],
    /size: \d+ characters, more than an app fixture holds/,
  ],
  [
    'app fixture: oversized image',
    () => ['deploy', file('image.yaml', `org: acme\napp: shop\nimage: ${'x'.repeat(5_000)}\n`)],
    /image: must be an image reference of at most 512 characters/,
  ],
  [
    'app fixture: too many hosts',
    () => [
      'deploy',
      file(
        'hosts.yaml',
        app(`customDomains: [${Array.from({ length: 150 }, (_, i) => `h${i}.example.com`).join(', ')}]\n`),
      ),
    ],
    /150 hosts, more than 100$/,
  ],
  [
    'app fixture: an unknown YAML tag',
    () => ['deploy', file('tag.yaml', 'org: !foo acme\napp: shop\nimage: x\n')],
    /: YAML: Unresolved tag: !foo/,
  ],
  [
    'app fixture: binary garbage',
    () => ['deploy', file('garbage.yaml', garbage)],
    /: (top level: must be a map|YAML: .*)$/,
  ],
  [
    'metadata file: wrong type',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-type.yaml', '- deployment: 5\n  hosts: [a.example.com]\n'),
    ],
    /each record needs deployment \(namespace\/name\) and hosts$/,
  ],
  [
    'metadata file: unknown key',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-key.yaml', '- deployment: ns/d\n  hosts: [a.example.com]\n  colour: red\n'),
    ],
    /record 0: unknown key "colour"/,
  ],
  [
    'metadata file: invalid host name',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-host.yaml', '- deployment: ns/d\n  hosts: ["bad host!"]\n'),
    ],
    /record 0: "bad host!" is not a valid hostname$/,
  ],
  [
    'metadata file: deployment not namespace/name',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-dep.yaml', '- deployment: just-a-name\n  hosts: [a.example.com]\n'),
    ],
    /record 0: deployment "just-a-name" is not namespace\/name$/,
  ],
  [
    'metadata file: oversized',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-big.yaml', `# ${'x'.repeat(17 * 1024 * 1024)}\n[]\n`),
    ],
    /is too large: \d+ characters/,
  ],
  [
    'metadata file: too many records',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file(
        'm-many.json',
        JSON.stringify(
          Array.from({ length: 10_001 }, (_, i) => ({ deployment: 'ns/d', hosts: [`h${i}.example.com`] })),
        ),
      ),
    ],
    /more than 10000 records$/,
  ],
  [
    'metadata file: an unknown YAML tag',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-tag.yaml', '- deployment: !foo ns/d\n  hosts: [a.example.com]\n'),
    ],
    /^error: metadata file .* is not YAML or JSON: Unresolved tag: !foo/,
  ],
  [
    'metadata file: binary garbage',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      reachable(),
      '--metadata',
      file('m-garbage.yaml', garbage),
    ],
    /^error: metadata (file .* is not YAML or JSON|from .* is not usable)/,
  ],
  [
    'kubeconfig: wrong type',
    () => [
      'domains',
      'check',
      'a.example.com',
      '--kubeconfig',
      file('k-type', 'apiVersion: v1\nkind: Config\nclusters: 5\n'),
    ],
    /^error: kubeconfig .* is not usable: /,
  ],
  [
    'kubeconfig: no cluster',
    () => [
      'run',
      '--provider',
      'existing',
      '--kubeconfig',
      file('k-empty', 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n'),
    ],
    /^error: provider existing is not available here: kubeconfig .* is not usable: /,
  ],
  [
    'kubeconfig: invalid host name in the server',
    () => ['domains', 'check', 'a.example.com', '--kubeconfig', file('k-host', kubeconfig('https://bad_host!:6443'))],
    /^error: (kubeconfig .* is not usable|cannot reach the Kubernetes API at https:\/\/bad_host!:6443)/,
  ],
  [
    'kubeconfig: oversized',
    () => ['domains', 'check', 'a.example.com', '--kubeconfig', file('k-big', `# ${'x'.repeat(17 * 1024 * 1024)}\n`)],
    /^error: kubeconfig .* is not usable: /,
  ],
  [
    'kubeconfig: binary garbage',
    () => ['run', '--provider', 'existing', '--kubeconfig', file('k-garbage', garbage)],
    /^error: provider existing is not available here: kubeconfig .* is not usable: /,
  ],
  [
    'kubeconfig: does not exist',
    () => ['domains', 'check', 'a.example.com', '--kubeconfig', join(dir, 'nope')],
    /^error: kubeconfig .* does not exist$/,
  ],
];

// One row at a time: each spawns the CLI, and five at once starved the other unit test files of this 2-core machine.
describe('bad input: one line, exit 2, nothing applied, nothing left running', () => {
  describe('every verb with malformed flags', () => {
    for (const [name, args, expected] of flags) it(name, () => badInput(args(), expected), 120_000);
  });
  describe('broken input files', () => {
    for (const [name, args, expected] of fixtures) it(name, () => badInput(args(), expected), 120_000);
  });
});
