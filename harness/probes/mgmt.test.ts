import { describe, expect, it } from 'vitest';
import { parseWgDump } from './mgmt.ts';

const dump = [
  'cHJpdmF0ZQ==\tY3BwdWI=\t50180\toff',
  'bWFjaGluZQ==\t(none)\t198.51.100.30:41641\tfdae:41e4:649b:9303::2/128\t1700000000\t9876\t5432\toff',
  'b3RoZXI=\t(none)\t(none)\t(none)\t0\t0\t0\toff',
].join('\n');

describe('wg show dump', () => {
  it('reads the listen port and each peer: endpoint, allowed IPs, handshake age, counters', () => {
    const s = parseWgDump(dump, 1_700_000_042);
    expect(s.listenPort).toBe(50180);
    expect(s.peers[0]).toEqual({
      publicKey: 'bWFjaGluZQ==',
      endpoint: '198.51.100.30:41641',
      allowedIps: ['fdae:41e4:649b:9303::2/128'],
      latestHandshake: '2023-11-14T22:13:20.000Z',
      handshakeAgeS: 42,
      rxBytes: 9876,
      txBytes: 5432,
    });
    expect(s.peers[1]).toMatchObject({
      endpoint: undefined,
      allowedIps: [],
      latestHandshake: undefined,
      handshakeAgeS: undefined,
    });
  });
});
