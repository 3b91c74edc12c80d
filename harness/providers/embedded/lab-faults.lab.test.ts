/**
 * A lab that cannot come up says why in one line and leaves nothing behind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { execRunner } from '../../exec/runner.ts';
import { silentProgress } from '../../log.ts';
import { labDown, labUp, liveLab } from './lab.ts';
import { labelledProcesses } from './processes.ts';

const bin = new URL('../../../bin/skyprobe.mjs', import.meta.url).pathname;
const nothingLeft = async () => {
  const ns = (await execa('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('sky-'));
  const links = (await execa('ip', ['-o', 'link'])).stdout.split('\n').filter((l) => /^\d+: sky/.test(l));
  return { processes: [...labelledProcesses().keys()], ns, links };
};
const empty = { processes: [], ns: [], links: [] };

describe('lab up when something is wrong', () => {
  afterEach(async () => {
    if (liveLab()) await labDown(execRunner);
    await execa('ip', ['link', 'del', 'tktaken'], { reject: false });
  });

  it('a component that exits at start: its name, its last log line, nothing left', async () => {
    const err = await labUp({
      nodes: 1,
      run: execRunner,
      progress: silentProgress,
      faults: { extraArgs: { 'kube-apiserver': ['--no-such-flag'] } },
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^kube-apiserver exited while starting \(1\): .*unknown flag: --no-such-flag/,
    );
    expect((err as { hint?: string }).hint).toMatch(/its log: \/.*kube-apiserver\.log/);
    expect(await nothingLeft()).toEqual(empty);
  }, 60_000);

  it('a component that dies after its start is caught too', async () => {
    const err = await labUp({
      nodes: 1,
      run: execRunner,
      progress: silentProgress,
      faults: { extraArgs: { 'kube-scheduler': ['--no-such-flag'] } },
    }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/^kube-scheduler exited while starting/);
    expect(await nothingLeft()).toEqual(empty);
  }, 60_000);

  it('a stack component that exits while the other branches run: its name, the others stopped, nothing left', async () => {
    const err = await labUp({
      nodes: 1,
      run: execRunner,
      progress: silentProgress,
      stack: true,
      faults: { extraArgs: { traefik: ['--no-such-flag'] } },
    }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/^traefik exited while starting/);
    expect(await nothingLeft()).toEqual(empty);
  }, 60_000);

  it('an address range already routed on this machine: one line naming it, nothing left', async () => {
    await execa('ip', ['link', 'add', 'tktaken', 'type', 'veth', 'peer', 'name', 'tkpeer']);
    await execa('ip', ['link', 'set', 'tktaken', 'up']);
    await execa('ip', ['route', 'add', '10.244.0.0/16', 'dev', 'tktaken']);
    const r = await execa('node', [bin, 'lab', 'up', '--keep'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /error: failed to route the lab ranges through the harness link .*: RTNETLINK answers: File exists/,
    );
    expect(r.stderr).toContain('route add 10.244.0.0/16');
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(await nothingLeft()).toEqual(empty);
  }, 60_000);

  it('lab up while a lab runs is refused, and the running lab is untouched', async () => {
    const lab = await labUp({ nodes: 1, run: execRunner, progress: silentProgress });
    const r = await execa('node', [bin, 'lab', 'up', '--keep'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: a lab is already running (id ${lab.id}`);
    expect(liveLab()?.id).toBe(lab.id);
  }, 90_000);

  it('components not built: points at skyprobe setup and creates nothing', async () => {
    const r = await execa('node', [bin, 'lab', 'up', '--keep'], {
      reject: false,
      env: { SKYPROBE_CACHE: mkdtempSync(join(tmpdir(), 'skyprobe-empty-')) },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: [a-z-]+@v[\d.]+ is not built \(not built yet\)\n\s+hint: run: npx skyprobe setup/);
    expect(await nothingLeft()).toEqual(empty);
  });

  it('not root: one line saying so', async () => {
    const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', bin, 'lab', 'up'], {
      reject: false,
      env: { HOME: '/tmp' },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: the embedded lab needs root');
  });

  it('bad --nodes: one line, exit 2', async () => {
    const r = await execa('node', [bin, 'lab', 'up', '--nodes', 'ten'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --nodes must be a whole number from 1 to 9, not "ten"');
  });
});
