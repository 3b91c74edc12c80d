/**
 * The Satusky routing stack on the embedded lab: public DNS (CoreDNS), ACME (Pebble), the CRDs, the edge
 * (Traefik: Gateway API + Ingress), the cloud load balancer (HAProxy, TCP), cert-manager, the platform's automation
 * of the renderer contract's objects (harness/automation/), and the edge objects (GatewayClass, Gateway
 * satusky-edge, IngressClass, ClusterIssuers). Started by `lab up` unless --no-stack.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { waitUntil } from '../../converge.ts';
import { applyObjects } from '../../k8s/apply.ts';
import { repoRoot } from '../../paths.ts';
import { contractCrds } from '../../stack/contract-crds.ts';
import type { Clients } from '../../k8s/client.ts';
import { EDGE_NAMESPACE, GATEWAY_NAME, edgeObjects } from '../../stack/edge-objects.ts';
import type { Issuance } from '../../stack/issuance.ts';
import { layoutFor } from './lab-layout.ts';
import {
  CERT_MANAGER_LISTENERSET_FLAGS,
  EDGE_PORTS,
  PEBBLE_ENV,
  certManagerFlags,
  pebbleConfig,
  traefikFlags,
} from '../../stack/programs.ts';
import { SATUSKY_ZONE, publicCorefile, setRecords } from '../../stack/public-dns.ts';
import { ACME_IP, EDGE_IP, LB_IP, PUBLIC_DNS_IP, STACK_HOSTS } from './address-plan.ts';
import { applyCrds, readCrds } from './crds.ts';
import { createHost } from './netns.ts';
import { httpFromNetns } from '../../probes/http.ts';
import { type Pki, issueServerCert } from './pki.ts';
import type { LabProcess, StartSpec } from './processes.ts';
import { waitFor } from './processes.ts';
import type { LabState } from './state.ts';
import { stackPaths } from './stack-paths.ts';
import type { Runner } from '../../exec/runner.ts';
import type { DeployTarget } from '../../stack/deploy.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';

export { stackPaths } from './stack-paths.ts';

export interface StackContext {
  state: LabState;
  pki: Pki;
  run: Runner;
  k: Clients;
  bin: (name: string) => string;
  start: (spec: StartSpec) => LabProcess;
  step: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  issuance: Issuance;
  /** Folders of built components' data: gateway-api, cert-manager, traefik CRDs. */
  crdFiles: string[];
}

export function haproxyConfig(): string {
  const backend = (name: string, port: number) =>
    `backend ${name}\n    server edge ${EDGE_IP}:${port} check inter 1s fall 2 rise 1\n`;
  return `global
    maxconn 2000
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend http
    bind ${LB_IP}:${EDGE_PORTS.web}
    default_backend edge_http
frontend https
    bind ${LB_IP}:${EDGE_PORTS.websecure}
    default_backend edge_https
frontend http8080
    bind ${LB_IP}:${EDGE_PORTS.web8080}
    default_backend edge_http8080
${backend('edge_http', EDGE_PORTS.web)}${backend('edge_https', EDGE_PORTS.websecure)}${backend('edge_http8080', EDGE_PORTS.web8080)}`;
}

export function traefikArgs(bin: string, accessLog: string, issuance: Issuance): string[] {
  return [bin, ...traefikFlags(LB_IP, issuance), `--accesslog.filepath=${accessLog}`];
}

/** cert-manager's workers per control loop in the embedded lab (upstream's default 5; see certManagerArgs). */
export const CERT_MANAGER_WORKERS = 25;

export function certManagerArgs(bin: string, kubeconfig: string): string[] {
  return [
    bin,
    `--kubeconfig=${kubeconfig}`,
    '--cluster-resource-namespace=cert-manager',
    '--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.21.2',
    ...certManagerFlags(PUBLIC_DNS_IP),
    ...CERT_MANAGER_LISTENERSET_FLAGS,
    // The HTTP-01 self-check holds a worker of the challenges loop for its five passes, 2 s apart (upstream's
    // pkg/issuer/acme/http/http.go), so upstream's 5 workers issue at most ~35 certificates a minute: measured as the
    // wall of the scale runs (docs/architecture.md, Scale). The lab's capacity, not a behaviour: every check still runs.
    `--concurrent-workers=${CERT_MANAGER_WORKERS}`,
    // A failed issuance is retried after seconds, not the default hour: scenarios inject faults and recover.
    '--certificate-request-minimum-backoff-duration=5s',
  ];
}

async function waitEstablished(k: Clients, names: string[]): Promise<void> {
  await waitUntil(
    `CRDs established: ${names.length}`,
    async () => {
      const list = (await k.objects.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')) as {
        items: KubernetesObject[];
      };
      const established = new Set(
        list.items
          .filter((c) =>
            (c as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions?.some(
              (x) => x.type === 'Established' && x.status === 'True',
            ),
          )
          .map((c) => c.metadata?.name),
      );
      return names.every((n) => established.has(n));
    },
    { timeoutMs: TIMEOUTS.crdsEstablished, intervalMs: POLL.local },
  );
}

/** The whole stack, one part after the other (lab.ts runs the parts in its branches: upStackPublic, upStackEdge). */
export async function upStack(c: StackContext): Promise<void> {
  await upStackPublic(c);
  await upStackEdge(c);
}

/** The stack's hosts, public DNS and ACME (Pebble): nothing here needs the apiserver. */
export async function upStackPublic(c: StackContext): Promise<void> {
  const { state, run } = c;
  const paths = stackPaths(state.dir);
  await c.step('stack network: internet, dns, acme, lb, edge hosts', async () => {
    for (const plan of Object.values(STACK_HOSTS)) {
      state.hosts[plan.role] = {
        netns: await createHost(run, state.id, plan),
        addresses: plan.addresses.map((a) => a.ip),
      };
    }
  });
  const pebbleCa = c.pki.ca;
  await c.step('public DNS (CoreDNS) and ACME (Pebble)', async () => {
    setRecords(paths.zones, SATUSKY_ZONE, [], PUBLIC_DNS_IP);
    const corefile = join(state.dir, 'Corefile.public');
    writeFileSync(corefile, publicCorefile(paths.zones, PUBLIC_DNS_IP));
    const dns = c.start({
      name: 'coredns-public',
      netns: state.hosts.dns?.netns,
      argv: [c.bin('coredns'), '-conf', corefile],
    });
    const listener = await issueServerCert(run, c.pki, 'pebble-listener', [ACME_IP]);
    const config = join(state.dir, 'pebble.json');
    writeFileSync(
      config,
      pebbleConfig({
        listen: `${ACME_IP}:14000`,
        mgmt: `${ACME_IP}:15000`,
        certificate: listener.cert,
        privateKey: listener.key,
      }),
    );
    const pebble = c.start({
      name: 'pebble',
      netns: state.hosts.acme?.netns,
      argv: ['pebble', '-config', config, '-dnsserver', `${PUBLIC_DNS_IP}:53`],
      env: PEBBLE_ENV,
    });
    const internet = state.hosts.internet?.netns as string;
    await waitFor(
      dns,
      'public DNS ready',
      async () => (await httpFromNetns(run, internet, `http://${PUBLIC_DNS_IP}:8181/ready`)).status === 200,
      { timeoutMs: TIMEOUTS.publicDnsReady },
    );
    await waitFor(
      pebble,
      "Pebble's root",
      async () => {
        const res = await httpFromNetns(run, internet, `https://${ACME_IP}:15000/roots/0`, { cacert: pebbleCa });
        if (res.status !== 200) return false;
        writeFileSync(paths.pebbleRoot, `${res.body.trim()}\n`);
        return true;
      },
      { timeoutMs: TIMEOUTS.pebbleRoot },
    );
  });
}

/** The CRDs, the edge (Traefik), the load balancer, cert-manager and the edge objects: after the apiserver is ready. */
export async function upStackEdge(c: StackContext): Promise<void> {
  const { state, run } = c;
  const paths = stackPaths(state.dir);
  const pebbleCa = c.pki.ca;
  await c.step('CRDs: Gateway API, cert-manager, Traefik, the renderer contract', async () => {
    const crds = [...readCrds(c.crdFiles), ...contractCrds()];
    await applyCrds(c.pki, state.apiServer, crds);
    await waitEstablished(
      c.k,
      crds.map((o) => o.metadata?.name as string),
    );
  });
  await c.step('edge (Traefik), load balancer (HAProxy), cert-manager, platform automation', async () => {
    const traefik = c.start({
      name: 'traefik',
      netns: state.hosts.edge?.netns,
      argv: traefikArgs(c.bin('traefik'), paths.accessLog, c.issuance),
      env: { KUBECONFIG: c.pki.kubeconfigs.traefik as string },
    });
    const cfg = join(state.dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig());
    const lb = c.start({ name: 'haproxy', netns: state.hosts.lb?.netns, argv: ['haproxy', '-f', cfg, '-db'] });
    c.start({
      name: 'cert-manager',
      netns: state.hosts.cp?.netns,
      argv: certManagerArgs(c.bin('cert-manager-controller'), c.pki.kubeconfigs['cert-manager'] as string),
    });
    // Satusky's automation of the contract's objects (GatewayListener, DNSRecord, AppRecord): outside the lab's
    // namespaces, like the pod runner (it reaches the apiserver and writes the lab's zone and metadata folders).
    const automation = c.start({
      name: 'automation',
      argv: [process.execPath, join(repoRoot(), 'bin', 'automation.mjs')],
      env: { SKYPROBE_LAB_DIR: state.dir },
    });
    await waitFor(
      traefik,
      'Traefik ping',
      async () =>
        (
          await fetch(`http://${EDGE_IP}:${EDGE_PORTS.ping}/ping`, {
            signal: AbortSignal.timeout(TIMEOUTS.readyEndpoint),
          })
        ).ok,
      { timeoutMs: TIMEOUTS.edgeReady },
    );
    await waitFor(
      lb,
      'load balancer forwarding to the edge',
      async () => (await httpFromNetns(run, state.hosts.internet?.netns as string, `http://${LB_IP}/`)).status === 404,
      { timeoutMs: TIMEOUTS.lbForwarding },
    );
    await waitFor(automation, 'automation watching', async () => existsSync(join(state.dir, 'automation.ready')), {
      timeoutMs: TIMEOUTS.automationReady,
    });
  });
  const edgeStep = `edge objects: GatewayClass, Gateway satusky-edge, IngressClass, ClusterIssuers (${c.issuance} issuance)`;
  await c.step(edgeStep, async () => {
    await applyObjects(
      c.k.objects,
      edgeObjects({ directory: `https://${ACME_IP}:14000/dir`, caPem: readFileSync(pebbleCa, 'utf8') }, c.issuance),
    );
    const traefik = state.processes.find((p) => p.name === 'traefik') as LabProcess;
    const cm = state.processes.find((p) => p.name === 'cert-manager') as LabProcess;
    // Two conditions of two programs, awaited at once (both end before the step does).
    const gateway = waitFor(
      traefik,
      'Gateway satusky-edge Programmed with the load balancer address',
      async () => {
        const gw = (await c.k.objects.read({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: GATEWAY_NAME, namespace: EDGE_NAMESPACE },
        })) as KubernetesObject & {
          status?: { addresses?: { value: string }[]; conditions?: { type: string; status: string }[] };
        };
        return Boolean(
          gw.status?.conditions?.some((x) => x.type === 'Programmed' && x.status === 'True') &&
          gw.status?.addresses?.some((a) => a.value === LB_IP),
        );
      },
      { timeoutMs: TIMEOUTS.gatewayProgrammed, intervalMs: POLL.api },
    );
    const issuers = waitFor(
      cm,
      'ClusterIssuers Ready (ACME accounts registered with Pebble)',
      async () => {
        const list = (await c.k.objects.list('cert-manager.io/v1', 'ClusterIssuer')) as {
          items: (KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } })[];
        };
        return (
          list.items.length === 2 &&
          list.items.every((i) => i.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'))
        );
      },
      { timeoutMs: TIMEOUTS.clusterIssuersReady, intervalMs: POLL.api },
    );
    for (const r of await Promise.allSettled([gateway, issuers])) if (r.status === 'rejected') throw r.reason;
  });
  state.stack = true;
}

/** The CRD files of the pinned components, in the order they are applied. */
export function crdFiles(dirs: { gatewayApi: string; certManager: string; traefik: string }): string[] {
  const yamls = (d: string) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.yaml') && !f.includes('vap_'))
      .map((f) => join(d, f));
  return [
    ...yamls(join(dirs.gatewayApi, 'crds', 'standard')),
    ...yamls(join(dirs.certManager, 'crds')),
    join(dirs.traefik, 'crds', 'traefik.yml'),
  ];
}

/** Where `skyprobe deploy` applies to on this lab. */
export function deployTarget(state: LabState, k: Clients): DeployTarget {
  const p = stackPaths(state.dir);
  return {
    k,
    metadataDir: p.metadata,
    dns: { zonesDir: p.zones, nameserverIp: PUBLIC_DNS_IP, lbIp: LB_IP },
    layout: layoutFor(state.dir),
  };
}
