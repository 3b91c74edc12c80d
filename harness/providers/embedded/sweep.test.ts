import { describe, expect, it } from 'vitest';
import { MOUNTINFO } from '../../testing/mountinfo.ts';
import { labMounts } from './sweep.ts';

describe('labMounts (sweep)', () => {
  it('lists only the mounts under the swept lab folders, deepest first', () => {
    expect(labMounts(MOUNTINFO, '/run/skyprobe', (id) => id === 'ab12')).toEqual([
      '/run/skyprobe/lab-ab12/pods/u1/volumes/mem',
      '/run/skyprobe/lab-ab12/mntns/u1.c',
      '/run/skyprobe/lab-ab12/mntns',
    ]);
    expect(labMounts(MOUNTINFO, '/run/skyprobe', () => false)).toEqual([]);
  });
});
