import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parsePinFile } from '../../setup/components.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { type InstallContext, installPlan } from './install-plan.ts';

const text = readFileSync(new URL('../../../fixtures/components.yaml', import.meta.url), 'utf8');
const pins = parsePinFile(text).kind as KindPins;
const ctx: InstallContext = {
  edgeIp: '172.18.0.2',
  publicDnsIp: '172.18.0.3',
  acme: {
    directory: 'https://skyprobe-ab12cd-acme:14000/dir',
    caPem: '-----BEGIN CERTIFICATE-----\nLISTENER-CA\n-----END CERTIFICATE-----\n',
  },
  issuance: 'fast',
};
const docs = (yaml: string | undefined) => parseAllDocuments(yaml ?? '').map((d) => d.toJS());
const TRAEFIK_RAW =
  'https://raw.githubusercontent.com/traefik/traefik/v3.6.12/docs/content/reference/dynamic-configuration';

describe('install plan', () => {
  const plan = installPlan(pins, ctx);

  it('applies each pinned manifest by its exact URL, in dependency order', () => {
    const applied = plan
      .filter((s) => s.args[0] === 'apply' && s.args.at(-1) !== '-')
      .map((s) => [s.component, s.version, s.args.join(' ')]);
    expect(applied).toEqual([
      [
        'gateway-api',
        'v1.6.3',
        'apply --server-side --force-conflicts -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.3/standard-install.yaml',
      ],
      [
        'cert-manager',
        'v1.21.2',
        'apply --server-side --force-conflicts -f https://github.com/cert-manager/cert-manager/releases/download/v1.21.2/cert-manager.yaml',
      ],
      [
        'traefik',
        'v3.6.12',
        `apply --server-side --force-conflicts -f ${TRAEFIK_RAW}/kubernetes-crd-definition-v1.yml`,
      ],
      ['traefik', 'v3.6.12', `apply --server-side --force-conflicts -f ${TRAEFIK_RAW}/kubernetes-crd-rbac.yml`],
      ['traefik', 'v3.6.12', `apply --server-side --force-conflicts -f ${TRAEFIK_RAW}/kubernetes-gateway-rbac.yml`],
    ]);
    const order = plan.map((s) => s.name);
    const at = (re: RegExp) => order.findIndex((n) => re.test(n));
    expect(at(/Gateway API CRDs established/)).toBeLessThan(at(/apply cert-manager/));
    expect(at(/webhook and cainjector available/)).toBeLessThan(at(/^edge objects/));
    expect(at(/Traefik ready/)).toBeLessThan(at(/Programmed/));
    expect(order.at(-1)).toMatch(/ClusterIssuers Ready/);
  });

  it('replaces cluster.local CoreDNS with the pinned image and waits for the rollout', () => {
    const set = plan.find((s) => s.component === 'coredns' && s.args.includes('set'));
    expect(set?.args).toEqual([
      '-n',
      'kube-system',
      'set',
      'image',
      'deployment/coredns',
      'coredns=docker.io/coredns/coredns:1.14.7',
    ]);
    expect(set?.source).toBe('docker.io/coredns/coredns:1.14.7');
    expect(
      plan.some((s) => s.args.join(' ') === '-n kube-system rollout status deployment/coredns --timeout=180s'),
    ).toBe(true);
  });

  it("wires public DNS into cert-manager's self-check and turns on its Gateway API support", () => {
    const patch = plan.find((s) => s.args.includes('patch'));
    expect(patch?.args.slice(0, 5)).toEqual(['-n', 'cert-manager', 'patch', 'deployment/cert-manager', '--type=json']);
    const ops = JSON.parse(patch?.args.at(-1) ?? '[]') as { op: string; path: string; value: string }[];
    expect(ops.every((o) => o.op === 'add' && o.path === '/spec/template/spec/containers/0/args/-')).toBe(true);
    expect(ops.map((o) => o.value)).toEqual([
      '--enable-gateway-api',
      '--acme-http01-solver-nameservers=172.18.0.3:53',
      '--extra-certificate-annotations=cert-manager.io/issue-temporary-certificate',
      '--dns01-check-retry-period=1s',
    ]);
  });

  it("runs the pinned Traefik with hostPorts 80/443/8080 and the node's address as its status address", () => {
    const step = plan.find((s) => s.component === 'traefik' && s.input !== undefined);
    expect(step?.source).toBe('docker.io/library/traefik:v3.6.12');
    const objects = docs(step?.input);
    const deploy = objects.find((o) => o.kind === 'Deployment');
    const c = deploy.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/library/traefik:v3.6.12');
    expect(c.args).toContain('--providers.kubernetesgateway.statusaddress.ip=172.18.0.2');
    expect(c.args).toContain('--providers.kubernetesingress.ingressendpoint.ip=172.18.0.2');
    expect(
      c.ports.filter((p: { hostPort?: number }) => p.hostPort).map((p: { hostPort: number }) => p.hostPort),
    ).toEqual([80, 443, 8080]);
    const roles = objects
      .filter((o) => o.kind === 'ClusterRoleBinding')
      .map((o) => [o.roleRef.name, o.subjects[0].name, o.subjects[0].namespace]);
    expect(roles).toEqual([
      ['traefik-ingress-controller', 'traefik', 'traefik'],
      ['gateway-role', 'traefik', 'traefik'],
    ]);
  });

  it("points both ClusterIssuers at Pebble's directory with its listener CA as caBundle (TLS verified)", () => {
    const issuers = docs(plan.find((s) => s.component === 'edge' && s.input)?.input).filter(
      (o) => o.kind === 'ClusterIssuer',
    );
    expect(issuers.map((i) => i.metadata.name)).toEqual(['pebble-ingress', 'pebble-gateway']);
    for (const i of issuers) {
      expect(i.spec.acme.server).toBe('https://skyprobe-ab12cd-acme:14000/dir');
      expect(Buffer.from(i.spec.acme.caBundle, 'base64').toString()).toBe(ctx.acme.caPem);
      expect(i.spec.acme.skipTLSVerify).toBeUndefined();
    }
  });

  it('follows the pin file: a new release changes the URLs and images of the plan', () => {
    const bumped = parsePinFile(text.replaceAll('v3.6.12', 'v3.6.15').replaceAll('v1.6.3', 'v1.6.4')).kind as KindPins;
    const args = installPlan(bumped, ctx)
      .map((s) => s.args.join(' '))
      .join('\n');
    expect(args).toContain(
      'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.4/standard-install.yaml',
    );
    expect(args).toContain('raw.githubusercontent.com/traefik/traefik/v3.6.15/');
    expect(args).not.toContain('v3.6.12');
    expect(
      parse(
        installPlan(bumped, ctx)
          .find((s) => s.source?.includes('traefik:'))
          ?.input?.split('---\n')
          .at(-1) ?? '',
      ).spec.template.spec.containers[0].image,
    ).toBe('docker.io/library/traefik:v3.6.15');
  });

  it('bounds every step: kubectl waits carry a timeout shorter than the runner timeout', () => {
    for (const s of plan.filter((x) => x.args.some((a) => a.startsWith('--timeout=')))) {
      const t = Number(/--timeout=(\d+)s/.exec(s.args.join(' '))?.[1]);
      expect(s.timeoutMs).toBeGreaterThan(t * 1000);
    }
  });
});
