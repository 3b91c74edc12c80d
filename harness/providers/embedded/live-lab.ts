/**
 * Which lab is up, read from the labs' records (state.ts) and their processes: small on purpose, so that a verb
 * that only looks for the running lab (`domains check`, `lab kubeconfig`) does not load the lab's machinery.
 */
import { SkyprobeError } from '../../errors.ts';
import { isAlive } from './processes.ts';
import { type LabState, labDirs, readState } from './state.ts';

/** The lab that is up now, if any; labs whose owner died half-way are not live. */
export function liveLab(env?: NodeJS.ProcessEnv): LabState | undefined {
  for (const dir of labDirs(env)) {
    const s = readState(dir);
    if (!s) continue;
    // A lab held by a process that was killed is no one's: not live, so the next lab up sweeps it.
    if (s.heldBy !== undefined && s.heldBy !== process.pid && !isAlive(s.heldBy)) continue;
    const api = s.processes.find((p) => p.name === 'kube-apiserver');
    if (s.status === 'up' && api && isAlive(api.pid)) return s;
    if (s.status !== 'up' && isAlive(s.ownerPid) && s.ownerPid !== process.pid) return s;
  }
  return undefined;
}

/** The lab that is up now, or the one line that says there is none. */
export function requireLab(env?: NodeJS.ProcessEnv): LabState {
  const lab = liveLab(env);
  if (!lab) throw new SkyprobeError('no lab is running', { hint: 'start one: skyprobe lab up --keep' });
  return lab;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new SkyprobeError('the embedded lab needs root: it creates network namespaces, links and iptables rules', {
      hint: 'run it as root (sudo -E npx skyprobe ...)',
    });
}
