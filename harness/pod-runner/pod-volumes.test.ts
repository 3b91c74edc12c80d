import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../exec/runner.ts';
import type { Clients } from '../k8s/client.ts';
import { PodVolumes } from './pod-volumes.ts';

const pod: V1Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: {
    containers: [
      {
        name: 'c',
        volumeMounts: [
          { name: 'cfg', mountPath: '/etc/cfg' },
          { name: 'cfg', mountPath: '/etc/one.conf', subPath: 'one.conf' },
          { name: 'scratch', mountPath: '/scratch' },
          { name: 'scratch', mountPath: '/ro', readOnly: true },
        ],
      },
      { name: 'bad', volumeMounts: [{ name: 'nope', mountPath: '/x' }] },
    ],
    volumes: [
      { name: 'cfg', configMap: { name: 'cm' } },
      { name: 'scratch', emptyDir: {} },
    ],
  },
};

describe('PodVolumes.mountsFor', () => {
  const v = new PodVolumes(
    pod,
    '/run/skyprobe/lab-ab12',
    {} as Clients,
    (async () => ({})) as unknown as Runner,
    'ab12',
  );

  it('binds each volumeMount from its folder under the lab; API volumes always read-only, emptyDir as asked', () => {
    const dir = '/run/skyprobe/lab-ab12/pods/u1/volumes';
    expect(v.mountsFor(pod.spec?.containers[0] as never)).toEqual([
      { source: `${dir}/cfg`, target: '/etc/cfg', readOnly: true },
      { source: `${dir}/cfg/one.conf`, target: '/etc/one.conf', readOnly: true },
      { source: `${dir}/scratch`, target: '/scratch', readOnly: false },
      { source: `${dir}/scratch`, target: '/ro', readOnly: true },
    ]);
  });

  it('a volumeMount naming no volume is an error naming both', () => {
    expect(() => v.mountsFor(pod.spec?.containers[1] as never)).toThrow(
      'container bad: volumeMount nope names no volume',
    );
  });
});
