/**
 * The embedded lab's ScenarioEnv: everything (env.ts), played inside the running lab. A user on the internet
 * stands in the lab's internet namespace; public DNS, Pebble's root and the platform's records are the lab's; the
 * fault hooks stop, restart and misconfigure the lab's own processes and namespaces.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import { EC_KEY, openssl } from '../../exec/openssl.ts';
import { type Runner, execRunner } from '../../exec/runner.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { checkDomains } from '../../facts/check.ts';
import { sourcesFactTarget } from '../../facts/target.ts';
import { clientsFor } from '../../k8s/client.ts';
import type { DnsProbeContext } from '../../probes/dns.ts';
import { httpFromNetns, tcpFromNetns } from '../../probes/http.ts';
import { apidProbe, overlayStatus } from '../../probes/mgmt.ts';
import { probeTls } from '../../probes/tls.ts';
import { EDGE_IP, LB_IP, MGMT, PUBLIC_DNS_IP, podNetnsName, wgIface } from '../../providers/embedded/address-plan.ts';
import { EMBEDDED_CAPABILITIES } from '../../providers/embedded/embedded-provider.ts';
import { labFactSources } from '../../providers/embedded/fact-site.ts';
import { liveLab } from '../../providers/embedded/lab.ts';
import { labApidClient, labOverlay, mgmtPaths } from '../../providers/embedded/mgmt.ts';
import { isAlive, logTail, startProcess, stopProcesses } from '../../providers/embedded/processes.ts';
import { deployTarget, stackPaths } from '../../providers/embedded/stack.ts';
import { readState, writeState } from '../../providers/embedded/state.ts';
import { metadataFile, readMetadata } from '../../stack/deploy.ts';
import type { ScenarioEnv } from '../env.ts';
import { deployMembers, dnsProbes, routingObjects, userZones } from './env-parts.ts';

export function labEnv(run: Runner = execRunner): ScenarioEnv {
  const lab0 = liveLab();
  if (!lab0)
    throw new SkyprobeError('no lab is running', {
      hint: 'skyprobe run brings one up; or start one: skyprobe lab up --keep',
    });
  if (!lab0.stack)
    throw new SkyprobeError(`lab ${lab0.id} runs without the routing stack`, {
      hint: 'skyprobe lab down && skyprobe lab up --keep',
    });
  const lab = lab0;
  const k = clientsFor(lab.kubeconfig);
  const paths = stackPaths(lab.dir);
  const target = deployTarget(lab, k);
  const internet = lab.hosts.internet?.netns as string;
  const dnsCtx: DnsProbeContext = { run, netns: internet, server: PUBLIC_DNS_IP };
  /** The lab as recorded now: its processes change when a fault restarts one (hosts do not: `lab` has them). */
  const state = () => readState(lab.dir) ?? lab;
  /**
   * Start a lab component again as it was recorded (plus `extraArgs`); `onlyIfDead` leaves a running one alone.
   * The record keeps the component's own arguments, so that a plain restart undoes the extras.
   */
  const relaunch = async (name: string, extraArgs: string[], onlyIfDead: boolean) => {
    const s = state();
    const i = s.processes.findIndex((x) => x.name === name);
    const p = s.processes[i];
    if (!p) throw new SkyprobeError(`no lab component named ${name}`);
    if (isAlive(p.pid)) {
      if (onlyIfDead) return;
      await stopProcesses([p.pid]);
    }
    const again = startProcess(s.id, join(s.dir, 'logs'), {
      name: p.name,
      argv: [...p.argv, ...extraArgs],
      netns: p.netns,
      env: p.env,
    });
    s.processes[i] = { ...again, argv: p.argv };
    writeState(s);
  };
  return {
    provider: 'embedded',
    capabilities: EMBEDDED_CAPABILITIES,
    lab,
    k,
    run,
    lbIp: LB_IP,
    edgeIp: EDGE_IP,
    publicDns: PUBLIC_DNS_IP,
    pebbleRoot: paths.pebbleRoot,
    internet,
    ...deployMembers(target),
    userDns: userZones(paths.zones, PUBLIC_DNS_IP, dnsCtx),
    http: (url, opts = {}) => httpFromNetns(run, internet, url, { cacert: paths.pebbleRoot, ...opts }),
    dns: dnsProbes(dnsCtx),
    tls: (host) => probeTls(run, host, LB_IP, paths.pebbleRoot, { netns: internet }),
    async inPod(pod, argv) {
      const ns = podNetnsName(lab.id, pod.metadata?.uid ?? '').netns;
      const res = await run('ip', ['netns', 'exec', ns, ...argv], { timeoutMs: TIMEOUTS.labCommand });
      return { exitCode: res.exitCode, output: res.output };
    },
    edgeAccessLog: () =>
      existsSync(paths.accessLog) ? readFileSync(paths.accessLog, 'utf8').split('\n').filter(Boolean) : [],
    mgmt: {
      overlay: (role = 'cp') => overlayStatus(run, labOverlay(lab, role)),
      apid: (address, from) => apidProbe(run, labApidClient(lab, from), address),
      tcp: (fromRole, host, port) => tcpFromNetns(run, lab.hosts[fromRole]?.netns ?? '', host, port),
      async exec(role, argv) {
        const ns = lab.hosts[role]?.netns;
        if (!ns) throw new SkyprobeError(`no lab host ${role}`);
        const res = await run('ip', ['netns', 'exec', ns, ...argv], { timeoutMs: TIMEOUTS.labCommand });
        return { exitCode: res.exitCode, output: res.output };
      },
      addresses: () => MGMT,
      iface: (side) => wgIface(lab.id, side),
      publicKeys() {
        const p = mgmtPaths(lab.dir);
        return { cp: readFileSync(p.cpPub, 'utf8').trim(), machine: readFileSync(p.machinePub, 'utf8').trim() };
      },
    },
    facts: (hosts) => checkDomains(sourcesFactTarget(labFactSources(lab), k, run), hosts),
    rewriteMetadata(app, change) {
      const m = readMetadata(paths.metadata).find((x) => x.org === app.org && x.app === app.app);
      if (!m) throw new SkyprobeError(`no platform record of ${app.org}/${app.app}: deploy it first`);
      writeFileSync(metadataFile(paths.metadata, app), `${JSON.stringify(change(m), null, 2)}\n`);
    },
    async selfSignedSecret(namespace, name, host) {
      const dir = mkdtempSync(join(tmpdir(), 'skyprobe-selfsigned-'));
      try {
        await openssl(
          run,
          [
            'req',
            '-x509',
            ...EC_KEY,
            '-days',
            '1',
            '-subj',
            `/CN=${host}`,
            '-addext',
            `subjectAltName=DNS:${host}`,
            '-keyout',
            join(dir, 'k'),
            '-out',
            join(dir, 'c'),
          ],
          'make a self-signed certificate',
        );
        const b64 = (f: string) => Buffer.from(readFileSync(join(dir, f))).toString('base64');
        const body = {
          metadata: { name, namespace },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64('c'), 'tls.key': b64('k') },
        };
        await k.core.deleteNamespacedSecret({ name, namespace }).catch(() => undefined);
        await k.core.createNamespacedSecret({ namespace, body });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async diagnostics() {
      const logs: Record<string, string> = {};
      for (const p of state().processes.filter((x) =>
        [
          'traefik',
          'cert-manager',
          'pebble',
          'haproxy',
          'coredns-public',
          'coredns-cluster',
          'pod-runner',
          'automation',
        ].includes(x.name),
      ))
        logs[p.name] = logTail(p, 15).slice(-3000) || '(no log)';
      return { logs, objects: await routingObjects(k) };
    },
    async stopComponent(name) {
      const p = state().processes.find((x) => x.name === name);
      if (!p) throw new SkyprobeError(`no lab component named ${name}`);
      await stopProcesses([p.pid]);
    },
    async startComponent(name) {
      await relaunch(name, [], true);
    },
    async blockPort(role, port, blocked) {
      const ns = lab.hosts[role]?.netns;
      if (!ns) throw new SkyprobeError(`no lab host ${role}`);
      const rule = ['INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'REJECT', '--reject-with', 'tcp-reset'];
      const has =
        (await run('ip', ['netns', 'exec', ns, 'iptables', '-C', ...rule], { timeoutMs: TIMEOUTS.ipCommand }))
          .exitCode === 0;
      if (blocked === has) return;
      const res = await run('ip', ['netns', 'exec', ns, 'iptables', blocked ? '-I' : '-D', ...rule], {
        timeoutMs: TIMEOUTS.ipCommand,
      });
      if (res.exitCode !== 0)
        throw new SkyprobeError(`failed to ${blocked ? 'block' : 'unblock'} port ${port} on ${role}: ${res.output}`);
    },
    async restartComponent(name, extraArgs = []) {
      await relaunch(name, extraArgs, false);
    },
  };
}
