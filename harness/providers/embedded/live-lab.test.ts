import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveLab } from './live-lab.ts';
import { type LabState, labDir, writeState } from './state.ts';

/** A pid no process has (checked). */
function deadPid(): number {
  for (let pid = 4_194_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
  }
}

function lab(heldBy?: number) {
  const env = { SKYPROBE_RUN_DIR: mkdtempSync(join(tmpdir(), 'skyprobe-run-')) };
  const s: LabState = {
    id: 'ab12',
    dir: labDir('ab12', env),
    status: 'up',
    ownerPid: deadPid(),
    heldBy,
    startedAt: new Date().toISOString(),
    nodes: 1,
    stack: true,
    kubeconfig: '/dev/null',
    apiServer: 'https://10.89.0.1:6443',
    // The "apiserver" is this test's parent, alive for as long as the test runs.
    processes: [{ name: 'kube-apiserver', pid: process.ppid, log: '/dev/null', argv: [] }],
    hosts: {},
  };
  writeState(s);
  return env;
}

describe('liveLab', () => {
  it('a kept lab (held by no process) is live while its apiserver runs', () => {
    expect(liveLab(lab())?.id).toBe('ab12');
  });
  it('a lab held by a run that is alive is live', () => {
    expect(liveLab(lab(process.ppid))?.id).toBe('ab12');
  });
  it("a lab held by a run that was killed is no one's: not live, so the next lab up sweeps it", () => {
    expect(liveLab(lab(deadPid()))).toBeUndefined();
  });
});
