/**
 * kind's ScenarioEnv with a scripted machine: a user's requests resolve through the run's public DNS (never this
 * machine's resolver) and reach the edge with --resolve and Pebble's root; DNS, TLS and zone edits act from this
 * machine, with no network namespace; the embedded lab's hooks are errors naming the missing capability.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SkyprobeError } from '../../errors.ts';
import { type Rule, fakeRunner } from '../../testing/fake-runner.ts';
import type { ClusterHandle } from '../../providers/provider.ts';
import { DEFAULT_HOST_PORTS } from '../../providers/kind/kind-config.ts';
import { kindEnv } from './kind-env.ts';
import { KIND_CAPABILITIES } from '../../providers/kind/kind-provider.ts';
import { type KindRun, newRunRecord, writeRun } from '../../providers/kind/runs.ts';

const EDGE = '172.18.0.2';
const DNS = '172.18.0.3';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: kind, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: kind, user: u } }]
current-context: c
`;

let env: NodeJS.ProcessEnv;
let rec: KindRun;
let handle: ClusterHandle;
beforeEach(() => {
  env = { SKYPROBE_CACHE: mkdtempSync(join(tmpdir(), 'skyprobe-kind-env-')) };
  rec = {
    ...newRunRecord('ab12cd', 'skyprobe-ab12cd', false, DEFAULT_HOST_PORTS, env),
    status: 'up',
    edgeIp: EDGE,
    publicDnsIp: DNS,
  };
  writeRun(rec);
  writeFileSync(rec.kubeconfig, KUBECONFIG);
  handle = { provider: 'kind', id: rec.id, kubeconfig: rec.kubeconfig, capabilities: KIND_CAPABILITIES, created: true };
});
afterEach(() => rmSync(env.SKYPROBE_CACHE as string, { recursive: true, force: true }));

/** dig's answer: a status line and an answer section. */
const dig = (status: string, ...answers: string[]) => ({
  output: `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: 1\n\n;; ANSWER SECTION:\n${answers.join('\n')}\n\n`,
});
const asked = (name: string, type: string) =>
  new RegExp(
    `^dig \\+time=1 \\+tries=2 \\+norecurse @${DNS.replace(/\./g, '\\.')} ${name.replace(/\./g, '\\.')} ${type}$`,
  );
const curlOk = {
  match: /^curl /,
  reply: { output: `{"app":"acme/shop"}\n{"http_code":200,"remote_ip":"${EDGE}","ssl_verify_result":0}` },
} satisfies Rule;

describe('kind scenario env: http as a user on the internet', () => {
  it("resolves the host through public DNS (CNAMEs followed) and gives curl that address and Pebble's root", async () => {
    const m = fakeRunner([
      {
        match: asked('www.shop.example.com', 'A'),
        reply: dig('NOERROR', 'www.shop.example.com.\t5\tIN\tCNAME\tshop.example.com.'),
      },
      { match: asked('shop.example.com', 'A'), reply: dig('NOERROR', `shop.example.com.\t5\tIN\tA\t${EDGE}`) },
      curlOk,
    ]);
    const r = await kindEnv(handle, m.run, env).http('https://www.shop.example.com/cart');
    expect(r).toMatchObject({ status: 200, remoteIp: EDGE, sslVerifyResult: 0, body: '{"app":"acme/shop"}' });
    const lines = m.calls.map((c) => c.line);
    expect(lines.at(-1)).toBe(
      `curl -sS -m 3 -w \n%{json} --cacert ${rec.pebbleRoot} --resolve www.shop.example.com:443:${EDGE} https://www.shop.example.com/cart`,
    );
    expect(lines.filter((l) => /netns/.test(l))).toEqual([]);
  });

  it('a name public DNS does not resolve is status 0 with the reason, and nothing is requested', async () => {
    const m = fakeRunner([{ match: asked('gone.example.com', 'A'), reply: dig('NXDOMAIN') }, curlOk]);
    const r = await kindEnv(handle, m.run, env).http('http://gone.example.com/');
    expect(r).toEqual({
      status: 0,
      body: '',
      error: `gone.example.com does not resolve at public DNS ${DNS}: gone.example.com A NXDOMAIN`,
    });
    expect(m.calls.some((c) => c.line.startsWith('curl'))).toBe(false);
  });

  it('an address named by the caller (opts.resolve) is used as given, without a lookup', async () => {
    const m = fakeRunner([curlOk]);
    await kindEnv(handle, m.run, env).http('http://unknown.example.com/', {
      resolve: `unknown.example.com:80:${EDGE}`,
    });
    expect(m.calls.map((c) => c.line)).toEqual([
      `curl -sS -m 3 -w \n%{json} --cacert ${rec.pebbleRoot} --resolve unknown.example.com:80:${EDGE} http://unknown.example.com/`,
    ]);
  });
});

describe('kind scenario env: DNS, TLS, zones and addresses', () => {
  it("asks the run's public DNS from this machine, and probes TLS at the edge against Pebble's root", async () => {
    const m = fakeRunner([
      {
        match: asked('shop-acme.satusky.com', 'A'),
        reply: dig('NOERROR', `shop-acme.satusky.com.\t5\tIN\tA\t${EDGE}`),
      },
      { match: /^timeout 4 openssl s_client/, reply: { exitCode: 1, output: 'connect:errno=111' } },
    ]);
    const e = kindEnv(handle, m.run, env);
    expect((await e.dns.query('shop-acme.satusky.com', 'A')).answers.map((a) => a.value)).toEqual([EDGE]);
    const t = await e.tls('shop-acme.satusky.com');
    expect(t).toMatchObject({ connectTo: EDGE, trustRoot: rec.pebbleRoot, verified: false });
    expect(m.calls.map((c) => c.line)).toEqual([
      `dig +time=1 +tries=2 +norecurse @${DNS} shop-acme.satusky.com A`,
      `timeout 4 openssl s_client -connect ${EDGE}:443 -servername shop-acme.satusky.com -verify_hostname shop-acme.satusky.com -CAfile ${rec.pebbleRoot} -showcerts`,
    ]);
    expect({ lbIp: e.lbIp, edgeIp: e.edgeIp, publicDns: e.publicDns, pebbleRoot: e.pebbleRoot }).toEqual({
      lbIp: EDGE,
      edgeIp: EDGE,
      publicDns: DNS,
      pebbleRoot: rec.pebbleRoot,
    });
  });

  it("edits the user's zone in the run's zone files and returns once public DNS serves the new serial", async () => {
    let served = 0;
    const zoneFile = join(rec.zonesDir, 'db.example.com');
    const m = fakeRunner([
      {
        match: asked('example.com', 'SOA'),
        // Public DNS picks the new serial up on its second question.
        reply: () =>
          served++ === 0
            ? dig('NOERROR')
            : dig(
                'NOERROR',
                `example.com.\t60\tIN\tSOA\tns1.example.com. hostmaster.example.com. ${/SOA \S+ \S+ (\d+)/.exec(readFileSync(zoneFile, 'utf8'))?.[1]} 60 60 600 5`,
              ),
      },
    ]);
    const e = kindEnv(handle, m.run, env);
    await e.userDns.set('example.com', [{ name: 'shop.example.com', type: 'A', value: EDGE }]);
    expect(served).toBe(2);
    expect(e.userDns.get('example.com')).toEqual([{ by: 'user', name: 'shop.example.com', type: 'A', value: EDGE }]);
    expect(readFileSync(zoneFile, 'utf8')).toContain(`ns1 60 IN A ${DNS}\nshop.example.com. 5 IN A ${EDGE}`);
  });

  it("reads the platform's records from the run's metadata folder", () => {
    mkdirSync(join(rec.dir, 'metadata'));
    writeFileSync(
      join(rec.dir, 'metadata', 'acme--shop.json'),
      JSON.stringify({ org: 'acme', app: 'shop', deployment: 'org-acme/shop' }),
    );
    expect(kindEnv(handle, fakeRunner([]).run, env).metadata()).toEqual([
      { org: 'acme', app: 'shop', deployment: 'org-acme/shop' },
    ]);
  });
});

describe('kind scenario env: what kind does not have', () => {
  it("the embedded lab's hooks throw, naming the capability; its data is absent", async () => {
    const e = kindEnv(handle, fakeRunner([]).run, env);
    await expect(e.blockPort('acme', 14000, false)).rejects.toThrow(
      /env\.blockPort is one of the embedded lab's own hooks \(capability labHooks\), which provider kind does not have/,
    );
    await expect(e.mgmt.overlay()).rejects.toBeInstanceOf(SkyprobeError);
    expect(() => e.edgeAccessLog()).toThrow(/capability labHooks/);
    expect(() => e.mgmt.addresses()).toThrow(/env\.mgmt\.addresses is the management path \(capability management\)/);
    expect('lab' in e || 'internet' in e).toBe(false);
  });

  it('needs the run recorded and up', () => {
    expect(() => kindEnv({ ...handle, id: 'nope00' }, fakeRunner([]).run, env)).toThrow(/no record of kind run nope00/);
    writeRun({ ...rec, publicDnsIp: undefined });
    expect(() => kindEnv(handle, fakeRunner([]).run, env)).toThrow(/kind run ab12cd is not up/);
  });
});
