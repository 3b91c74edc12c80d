import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../../testing/fake-runner.ts';
import { MOUNTINFO } from '../../testing/mountinfo.ts';
import { type Machine, describeLeftovers, leftovers, newLeftovers } from './leftovers.ts';

/** A machine with one killed lab (ab12) half-removed, beside the machine's own things that are no lab's. */
function machine(files: Record<string, string>, dirs: Record<string, string[]>): Machine {
  const { run } = fakeRunner([
    { match: /^ip netns list$/, reply: { output: 'sky-ab12-cp (id: 3)\nsky-ab12-fabric\nother-ns\n' } },
    {
      match: /^ip -o link show$/,
      reply: {
        output:
          '1: lo: <LOOPBACK,UP> mtu 65536\n2: eth0@if9: <BROADCAST> mtu 1500\n7: skyab12@if6: <BROADCAST> mtu 1500\n8: docker0: <NO-CARRIER>\n',
      },
    },
    {
      match: /^iptables-save$/,
      reply: {
        output: [
          '*filter',
          ':INPUT ACCEPT [0:0]',
          '-A FORWARD -o docker0 -j DOCKER',
          '-A FORWARD -i skyab12 -j ACCEPT',
          '*nat',
          '-A POSTROUTING -s 10.89.0.0/16 -j MASQUERADE',
          'COMMIT',
        ].join('\n'),
      },
    },
  ]);
  return {
    run,
    self: 100,
    runDir: '/run/skyprobe',
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT ${p}`);
      return f;
    },
    readdir: (p) => {
      const d = dirs[p];
      if (d === undefined) throw new Error(`ENOENT ${p}`);
      return d;
    },
  };
}

describe('leftovers', () => {
  const files = {
    '/proc/self/mountinfo': MOUNTINFO,
    '/proc/100/environ': 'SKYPROBE_LAB=ab12\0PATH=/bin', // the inventory's own process
    '/proc/200/environ': 'PATH=/bin\0SKYPROBE_LAB=ab12\0SKYPROBE_COMPONENT=etcd',
    '/proc/200/cmdline': 'ip\0netns\0exec\0sky-ab12-cp\0etcd\0',
    '/proc/300/environ': 'PATH=/bin\0NOT_SKYPROBE_LAB=x',
  };
  const dirs = {
    '/proc': ['100', '200', '300', 'self', 'sys'],
    '/etc/netns': ['sky-ab12-cp', 'mine'],
    '/run/skyprobe': ['lab-ab12'],
  };

  it('finds every kind of thing a lab leaves, and nothing of the machine that is no lab', async () => {
    const l = await leftovers(machine(files, dirs));
    expect(l.namespaces).toEqual(['sky-ab12-cp', 'sky-ab12-fabric']);
    expect(l.links).toEqual(['skyab12']);
    expect(l.processes).toEqual([{ pid: 200, lab: 'ab12', command: 'ip netns exec sky-ab12-cp etcd' }]);
    expect(l.iptables).toEqual(['-A FORWARD -i skyab12 -j ACCEPT', '-A POSTROUTING -s 10.89.0.0/16 -j MASQUERADE']);
    expect(l.mounts).toEqual([
      '/run/netns/sky-ab12-cp',
      '/run/skyprobe/lab-ab12/mntns',
      '/run/skyprobe/lab-ab12/mntns/u1.c',
      '/run/skyprobe/lab-ab12/pods/u1/volumes/mem',
      '/run/skyprobe/lab-cd34/mntns',
    ]);
    expect(l.netnsDirs).toEqual(['/etc/netns/sky-ab12-cp']);
    expect(l.runDirs).toEqual(['/run/skyprobe/lab-ab12']);
    const d = describeLeftovers(l);
    expect(d.count).toBe(2 + 1 + 1 + 2 + 5 + 1 + 1);
    expect(d.line).toMatch(
      /^2 namespaces \(sky-ab12-cp, sky-ab12-fabric\); 1 links \(skyab12\); 1 processes \(200 of lab ab12/,
    );
  });

  it('is empty on a clean machine, and a folder that does not exist is nothing left', async () => {
    const clean = machine({ '/proc/self/mountinfo': '' }, { '/proc': ['1'] });
    const { run } = fakeRunner([{ match: /./, reply: { output: '' } }]);
    const l = await leftovers({ ...clean, run });
    expect(describeLeftovers(l)).toEqual({ count: 0, line: '' });
  });

  it('counts against a baseline only what is new', async () => {
    const before = await leftovers(machine(files, dirs));
    const after = { ...before, links: [...before.links, 'sky9f9f'], iptables: before.iptables };
    const d = describeLeftovers(newLeftovers(before, after));
    expect(d).toEqual({ count: 1, line: '1 links (sky9f9f)' });
  });
});
