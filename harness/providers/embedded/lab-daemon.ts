/**
 * What a daemon of the embedded lab (the pod runner, the platform's automation) starts from: the lab folder its
 * SKYPROBE_LAB_DIR names, that lab's state, and a client under the daemon's own identity (pki/<identity>.kubeconfig).
 */
import { join } from 'node:path';
import { type Clients, clientsFor } from '../../k8s/client.ts';
import { type LabState, readState } from './state.ts';

export function labOfDaemon(identity: string): { dir: string; state: LabState; k: Clients } {
  const dir = process.env.SKYPROBE_LAB_DIR;
  const state = dir ? readState(dir) : undefined;
  if (!dir || !state) throw new Error('SKYPROBE_LAB_DIR must name a lab folder with a state.json');
  return { dir, state, k: clientsFor(join(dir, 'pki', `${identity}.kubeconfig`)) };
}
