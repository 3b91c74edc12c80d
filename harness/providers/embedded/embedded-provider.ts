/**
 * The embedded lab as a ClusterProvider: attach to the lab that is up (its owner takes it down), or bring one up
 * with the routing stack and take it down afterwards unless kept. It has every capability, its hooks included.
 */
import { SkyprobeError } from '../../errors.ts';
import type { Capabilities, ClusterHandle, ClusterProvider, ProviderUpOptions } from '../provider.ts';
import { keepLab, labDown, labUp, liveLab } from './lab.ts';

export const EMBEDDED_CAPABILITIES: Capabilities = {
  clusterScoped: true,
  createApps: true,
  faults: true,
  management: true,
  internet: true,
  labHooks: true,
};

export function embeddedProvider(): ClusterProvider {
  return {
    name: 'embedded',
    async info() {
      return process.getuid?.() === 0
        ? { name: 'embedded', available: true }
        : {
            name: 'embedded',
            available: false,
            reason: 'the embedded lab needs root (network namespaces, iptables): run as root',
          };
    },
    async up(o: ProviderUpOptions): Promise<ClusterHandle> {
      let lab = liveLab();
      const created = !lab;
      if (lab && !lab.stack)
        throw new SkyprobeError(`lab ${lab.id} runs without the routing stack`, {
          hint: 'stop it (skyprobe lab down) and let skyprobe run start its own',
        });
      // Held by this process unless kept: if it is killed, the next lab up or run sweeps the lab.
      if (!lab)
        lab = await labUp({
          nodes: 2,
          run: o.run,
          progress: o.progress,
          stack: true,
          issuance: o.issuance,
          heldBy: o.keep ? undefined : process.pid,
        });
      return {
        provider: 'embedded',
        id: lab.id,
        kubeconfig: lab.kubeconfig,
        capabilities: EMBEDDED_CAPABILITIES,
        internetNetns: lab.hosts.internet?.netns,
        created,
      };
    },
    async down(h, o) {
      if (h.created && !o.keep) await labDown(o.run);
      else if (h.created) keepLab();
    },
  };
}
