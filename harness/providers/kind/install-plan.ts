/**
 * What `up` installs into the kind cluster, in order, as data: every step names the component, its pinned
 * version and the exact URL or image it installs, and holds the kubectl arguments that do it (the executor adds
 * the kubeconfig). Order matters: Gateway API CRDs before cert-manager (its gateway-shim watches them),
 * cert-manager's webhook before the ClusterIssuers, Traefik before the Gateway can be Programmed.
 */
import { certManagerFlags } from '../../stack/programs.ts';
import type { Issuance } from '../../stack/issuance.ts';
import type { KindComponentName, KindComponentPin, KindPins } from '../../setup/kind-pins.ts';
import {
  type AcmeServer,
  CERT_MANAGER_NAMESPACE,
  EDGE_NAMESPACE,
  GATEWAY_NAME,
  ISSUER_GATEWAY,
  ISSUER_INGRESS,
  edgeObjects,
} from '../../stack/edge-objects.ts';
import { TRAEFIK_NAMESPACE, toYaml, traefikObjects } from './traefik-manifest.ts';
import { certManagerObjects } from './cert-manager-manifest.ts';
import { TIMEOUTS, seconds } from '../../timeouts.ts';

export interface InstallContext {
  /** The kind node's address on kind's network: what Traefik reports, what public DNS records point at. */
  edgeIp: string;
  /** Public DNS (the CoreDNS container): cert-manager's HTTP-01 self-check asks it, as the internet would. */
  publicDnsIp: string;
  /** Pebble's directory and the CA of its listener (the ClusterIssuers' caBundle). */
  acme: AcmeServer;
  /** Whether the ClusterIssuers' solvers self-check before Pebble validates (stack/issuance.ts). */
  issuance: Issuance;
  /** Offline: the manifests as files on this machine instead of the pin file's URLs (local-mode.ts). */
  files?: ManifestFiles;
}

/** The files `setup` keeps of each component's manifests (from their modules), and skyprobe's cert-manager. */
export interface ManifestFiles {
  gatewayApi: string[];
  traefik: string[];
  certManagerCrds: string[];
  certManager: { controllerImage: string; solverImage: string };
}

export interface InstallStep {
  component: KindComponentName | 'edge';
  /** The pinned version this step installs (absent for skyprobe's own edge objects). */
  version?: string;
  name: string;
  /** The URL or image the step installs, exactly as pinned. */
  source?: string;
  /** kubectl arguments, without --kubeconfig. */
  args: string[];
  /** YAML given on stdin (`-f -`). */
  input?: string;
  timeoutMs: number;
  hint?: string;
}

const GATEWAY_CRDS = ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'].map(
  (r) => `crd/${r}.gateway.networking.k8s.io`,
);

function applyUrls(component: KindComponentName, pin: KindComponentPin, what: string): InstallStep[] {
  return pin.manifests.map((url) => ({
    component,
    version: pin.version,
    name: `apply ${what} ${pin.version}: ${url.split('/').pop()}`,
    source: url,
    args: ['apply', '--server-side', '--force-conflicts', '-f', url],
    timeoutMs: TIMEOUTS.manifestApply,
    hint: `kubectl downloads ${url} itself: the machine must reach it`,
  }));
}

function applyFiles(component: KindComponentName, pin: KindComponentPin, files: string[], what: string): InstallStep[] {
  return files.map((file) => ({
    component,
    version: pin.version,
    name: `apply ${what} ${pin.version} from ${file.split('/').slice(-2).join('/')}`,
    source: file,
    args: ['apply', '--server-side', '--force-conflicts', '-f', file],
    timeoutMs: TIMEOUTS.manifestApply,
    hint: `the file comes from the module (npx skyprobe setup --kind)`,
  }));
}

export function installPlan(pins: KindPins, ctx: InstallContext): InstallStep[] {
  const { 'gateway-api': gw, 'cert-manager': cm, traefik, coredns } = pins.components;
  const wait = (
    component: InstallStep['component'],
    version: string | undefined,
    name: string,
    args: string[],
    timeoutMs: number = TIMEOUTS.kubectlWait,
  ): InstallStep => ({
    component,
    version,
    name,
    args: [...args, `--timeout=${seconds(timeoutMs)}s`],
    timeoutMs: timeoutMs + TIMEOUTS.kubectlExit,
  });
  const patch = certManagerFlags(ctx.publicDnsIp).map((value) => ({
    op: 'add',
    path: '/spec/template/spec/containers/0/args/-',
    value,
  }));
  const f = ctx.files;
  const certManagerSteps: InstallStep[] = f
    ? [
        ...applyFiles('cert-manager', cm, f.certManagerCrds, 'cert-manager CRDs'),
        {
          component: 'cert-manager',
          version: cm.version,
          name: `cert-manager ${cm.version} controller (skyprobe's manifest: no release manifest offline)`,
          source: f.certManager.controllerImage,
          args: ['apply', '--server-side', '--force-conflicts', '-f', '-'],
          input: toYaml(certManagerObjects({ ...f.certManager, publicDnsIp: ctx.publicDnsIp })),
          timeoutMs: TIMEOUTS.kubectlApply,
        },
        wait('cert-manager', cm.version, 'cert-manager controller rolled out', [
          '-n',
          CERT_MANAGER_NAMESPACE,
          'rollout',
          'status',
          'deployment/cert-manager',
        ]),
      ]
    : [
        ...applyUrls('cert-manager', cm, 'cert-manager'),
        {
          component: 'cert-manager',
          version: cm.version,
          name: 'cert-manager controller flags',
          args: [
            '-n',
            CERT_MANAGER_NAMESPACE,
            'patch',
            'deployment/cert-manager',
            '--type=json',
            '-p',
            JSON.stringify(patch),
          ],
          timeoutMs: TIMEOUTS.kubectlApply,
        },
        wait('cert-manager', cm.version, 'cert-manager controller rolled out', [
          '-n',
          CERT_MANAGER_NAMESPACE,
          'rollout',
          'status',
          'deployment/cert-manager',
        ]),
        wait('cert-manager', cm.version, 'cert-manager webhook and cainjector available', [
          '-n',
          CERT_MANAGER_NAMESPACE,
          'wait',
          '--for=condition=Available',
          'deployment/cert-manager-webhook',
          'deployment/cert-manager-cainjector',
        ]),
      ];
  return [
    ...(f
      ? applyFiles('gateway-api', gw, f.gatewayApi, 'Gateway API CRDs')
      : applyUrls('gateway-api', gw, 'Gateway API CRDs')),
    wait(
      'gateway-api',
      gw.version,
      'Gateway API CRDs established',
      ['wait', '--for=condition=Established', ...GATEWAY_CRDS],
      TIMEOUTS.kubectlCrdsEstablished,
    ),
    // kubeadm installs CoreDNS for cluster.local at its own default version; the pin replaces the image.
    {
      component: 'coredns',
      version: coredns.version,
      name: `cluster DNS: CoreDNS ${coredns.version}`,
      source: coredns.image,
      args: ['-n', 'kube-system', 'set', 'image', 'deployment/coredns', `coredns=${coredns.image}`],
      timeoutMs: TIMEOUTS.kubectlApply,
    },
    wait('coredns', coredns.version, 'cluster DNS rolled out', [
      '-n',
      'kube-system',
      'rollout',
      'status',
      'deployment/coredns',
    ]),
    ...certManagerSteps,
    ...(f ? applyFiles('traefik', traefik, f.traefik, 'Traefik') : applyUrls('traefik', traefik, 'Traefik')),
    {
      component: 'traefik',
      version: traefik.version,
      name: `Traefik ${traefik.version} deployment`,
      source: traefik.image,
      args: ['apply', '--server-side', '--force-conflicts', '-f', '-'],
      input: toYaml(traefikObjects(traefik, ctx.edgeIp, ctx.issuance)),
      timeoutMs: TIMEOUTS.kubectlApply,
    },
    wait('traefik', traefik.version, 'Traefik ready', [
      '-n',
      TRAEFIK_NAMESPACE,
      'rollout',
      'status',
      'deployment/traefik',
    ]),
    {
      component: 'edge',
      name: `edge objects: GatewayClass, Gateway satusky-edge, IngressClass, ClusterIssuers (${ctx.issuance} issuance)`,
      args: ['apply', '--server-side', '--force-conflicts', '-f', '-'],
      input: toYaml(edgeObjects(ctx.acme, ctx.issuance)),
      timeoutMs: TIMEOUTS.kubectlApply,
    },
    wait(
      'edge',
      undefined,
      'Gateway satusky-edge Programmed',
      ['-n', EDGE_NAMESPACE, 'wait', '--for=condition=Programmed', `gateway/${GATEWAY_NAME}`],
      TIMEOUTS.kubectlEdgeReady,
    ),
    {
      ...wait(
        'edge',
        undefined,
        'ClusterIssuers Ready (ACME accounts registered with Pebble)',
        ['wait', '--for=condition=Ready', `clusterissuer/${ISSUER_INGRESS}`, `clusterissuer/${ISSUER_GATEWAY}`],
        TIMEOUTS.kubectlEdgeReady,
      ),
      hint: 'cert-manager must reach Pebble by its container name and trust its listener CA: see `kubectl -n cert-manager logs deployment/cert-manager`',
    },
  ];
}
