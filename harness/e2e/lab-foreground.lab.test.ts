/**
 * `skyprobe lab up` in the foreground, as a user runs it in a terminal: it holds until Ctrl-C (it exited at once
 * with code 13 before, leaving the lab running with nobody to stop it), and a Ctrl-C, then a second one during
 * the removal, reach its whole process group as a terminal sends them: the removal finishes, the command exits 0
 * and nothing of the lab is left on the machine (leftovers.ts).
 */
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { converge, waitUntil } from '../converge.ts';
import { execRunner } from '../exec/runner.ts';
import { labDown, liveLab } from '../providers/embedded/lab.ts';
import { describeLeftovers, leftovers, thisMachine } from '../providers/embedded/leftovers.ts';

const bin = new URL('../../bin/skyprobe.mjs', import.meta.url).pathname;

describe('lab up in the foreground', () => {
  afterAll(async () => {
    // What a failed run of this test left (the old behaviour leaves the whole lab).
    await labDown(execRunner);
  }, 60_000);

  it('holds until Ctrl-C, and a second Ctrl-C during the removal leaves nothing behind', async () => {
    expect(liveLab(), 'this test brings up its own lab: stop the running one first').toBeUndefined();
    // Its own process group, as a terminal's foreground job: the signals go to the group (-pid).
    const up = execa('node', [bin, 'lab', 'up', '--nodes', '1', '--no-stack'], {
      detached: true,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    let stderr = '';
    up.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    let exited: number | undefined;
    void up.then((r) => {
      exited = r.exitCode;
    });
    const pid = up.pid as number;
    await waitUntil(
      'lab up says the lab is running',
      async () => /lab running; Ctrl-C/.test(stderr) || exited !== undefined,
      {
        timeoutMs: 120_000,
        intervalMs: 200,
      },
    );
    // It holds: still running, its lab up, for five reads a second apart.
    const held = await converge(
      async () => ({ ok: exited === undefined && liveLab() !== undefined, evidence: { exited } }),
      { successes: 5, timeoutMs: 10_000, intervalMs: 1_000 },
    );
    expect(held.ok, `lab up exited with code ${exited} and left the lab running:\n${stderr}`).toBe(true);

    process.kill(-pid, 'SIGINT');
    await waitUntil(
      'lab up starts removing the lab',
      async () => /removing the lab/.test(stderr) || exited !== undefined,
      {
        timeoutMs: 10_000,
        intervalMs: 20,
      },
    );
    process.kill(-pid, 'SIGINT');
    const r = await up;
    expect(r.exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/SIGINT: still removing the lab/);
    expect(stderr).toMatch(/lab down \(/);
    const left = describeLeftovers(await leftovers(thisMachine(execRunner)));
    expect(left.line).toBe('');
    expect(liveLab()).toBeUndefined();
  }, 180_000);
});
