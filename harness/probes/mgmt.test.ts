import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../testing/fake-runner.ts';
import { apidProbe, overlayStatus, parseWgDump } from './mgmt.ts';

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

describe('the probes stand where their caller says', () => {
  it('overlayStatus reads `wg show IFACE dump` inside the given namespace; a missing interface is down', async () => {
    const m = fakeRunner([
      { match: /wg show slkab12c dump$/, reply: { output: dump } },
      { match: /wg show gone dump$/, reply: { exitCode: 1, output: 'Unable to access interface: No such device\n' } },
    ]);
    const up = await overlayStatus(m.run, { netns: 'sky-ab12-cp', iface: 'slkab12c' });
    expect(up).toMatchObject({ iface: 'slkab12c', up: true, listenPort: 50180 });
    expect(up.peers).toHaveLength(2);
    expect(await overlayStatus(m.run, { netns: 'sky-ab12-cp', iface: 'gone' })).toEqual({
      iface: 'gone',
      up: false,
      peers: [],
      error: 'Unable to access interface: No such device',
    });
    expect(m.calls.map((c) => c.line)).toEqual([
      'ip netns exec sky-ab12-cp wg show slkab12c dump',
      'ip netns exec sky-ab12-cp wg show gone dump',
    ]);
  });

  it("apidProbe runs the client's program in its namespace with its mutual-TLS files, and reads its JSON line", async () => {
    const client = {
      netns: 'sky-ab12-cp',
      script: '/repo/harness/mgmt/apid-client.mjs',
      port: 50000,
      cert: '/lab/pki/talosctl.crt',
      key: '/lab/pki/talosctl.key',
      ca: '/lab/pki/ca.crt',
    };
    const answer = { ok: true, target: '[fdae::2]:50000', hostname: 'machine-1', tag: 'v1.11.5', latencyMs: 4 };
    const m = fakeRunner([
      { match: /\[fdae::2\]:50000$/, reply: { output: `noise\n${JSON.stringify(answer)}\n` } },
      { match: /10\.0\.0\.9:50000$/, reply: { exitCode: 1, output: 'connect ECONNREFUSED 10.0.0.9:50000\n' } },
    ]);
    expect(await apidProbe(m.run, client, 'fdae::2')).toEqual(answer);
    expect(await apidProbe(m.run, client, '10.0.0.9', { timeoutMs: 500 })).toEqual({
      ok: false,
      target: '10.0.0.9:50000',
      error: 'connect ECONNREFUSED 10.0.0.9:50000',
    });
    expect(m.calls[0]?.line).toBe(
      `ip netns exec sky-ab12-cp ${process.execPath} /repo/harness/mgmt/apid-client.mjs [fdae::2]:50000`,
    );
    expect(m.calls[0]?.opts).toMatchObject({
      timeoutMs: 6000,
      env: {
        APID_CERT: client.cert,
        APID_KEY: client.key,
        APID_CA: client.ca,
        APID_TIMEOUT_MS: '3000',
      },
    });
    expect(m.calls[1]?.opts).toMatchObject({ timeoutMs: 3500, env: { APID_TIMEOUT_MS: '500' } });
  });
});
