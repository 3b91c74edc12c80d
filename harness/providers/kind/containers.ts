/**
 * The two containers beside the kind cluster, as data: public DNS (CoreDNS serving the zone files the harness
 * writes, the internet's view of satusky.com and users' zones) and ACME (Pebble). Both join kind's Docker
 * network, so the cluster's pods reach them by address or container name (kind's node entrypoint forwards pod
 * DNS to Docker's embedded DNS), and Pebble's validation reaches the edge on the node's address.
 */
import { PEBBLE_ENV, pebbleConfig } from '../../stack/programs.ts';
import { publicCorefile } from '../../stack/public-dns.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import type { AcmeTls } from './acme-tls.ts';
import { containerName, runLabels } from './names.ts';

export interface ContainerSpec {
  role: 'public-dns' | 'acme';
  name: string;
  /** Image with its pinned tag, from the pin file. */
  image: string;
  /** Arguments after the image's entrypoint (both images are a single static binary). */
  command: string[];
  env: Record<string, string>;
  /** Container ports published on free host ports: the harness reaches the containers through them. */
  ports: number[];
  network: string;
  /** RUN_LABEL and ROLE_LABEL: what teardown removes, even after the harness was killed. */
  labels: Record<string, string>;
  /** Files written into the container before it starts. */
  files: { target: string; content: string; mode?: number }[];
  /** Host folders mounted into the container. */
  binds: { source: string; target: string; mode: 'ro' | 'rw' }[];
  /** The container is ready once a line of its log matches. */
  readyLog: RegExp;
}

export const ZONES_IN_CONTAINER = '/zones';
export const ACME_PORT = 14000;
export const ACME_MGMT_PORT = 15000;

export function publicDnsSpec(pins: KindPins, id: string, o: { network: string; zonesDir: string }): ContainerSpec {
  return {
    role: 'public-dns',
    name: containerName(id, 'public-dns'),
    image: pins.components.coredns.image as string,
    command: ['-conf', '/skyprobe/Corefile'],
    env: {},
    ports: [53, 8181],
    network: o.network,
    labels: runLabels(id, 'public-dns'),
    // The same Corefile as the embedded lab's public DNS, listening on every address of the container.
    files: [{ target: '/skyprobe/Corefile', content: publicCorefile(ZONES_IN_CONTAINER, '0.0.0.0') }],
    // The harness edits zone files on the host (stack/public-dns.ts); CoreDNS's auto plugin reloads them.
    binds: [{ source: o.zonesDir, target: ZONES_IN_CONTAINER, mode: 'ro' }],
    readyLog: /CoreDNS-\d+\.\d+\.\d+/,
  };
}

/** Pebble: its listeners use the run's TLS, validation goes to ports 80/443 of the edge. */
export function pebbleSpec(
  pins: KindPins,
  id: string,
  o: { network: string; publicDnsIp: string; tls: AcmeTls },
): ContainerSpec {
  return {
    role: 'acme',
    name: containerName(id, 'acme'),
    image: pins.components.pebble.image as string,
    // Pebble resolves the names it validates through public DNS, as a real CA resolves them on the internet.
    command: ['-config', '/skyprobe/pebble.json', '-dnsserver', `${o.publicDnsIp}:53`],
    // As in the embedded lab: no random validation delay, no rejected nonces, no reused authorizations.
    env: PEBBLE_ENV,
    ports: [ACME_PORT, ACME_MGMT_PORT],
    network: o.network,
    labels: runLabels(id, 'acme'),
    files: [
      {
        target: '/skyprobe/pebble.json',
        content: pebbleConfig({
          listen: `0.0.0.0:${ACME_PORT}`,
          mgmt: `0.0.0.0:${ACME_MGMT_PORT}`,
          certificate: '/skyprobe/listener.crt',
          privateKey: '/skyprobe/listener.key',
        }),
      },
      { target: '/skyprobe/listener.crt', content: o.tls.certPem },
      { target: '/skyprobe/listener.key', content: o.tls.keyPem, mode: 0o600 },
    ],
    binds: [],
    readyLog: /ACME directory available at:/,
  };
}

/** The ACME directory as the cluster reaches it: by Pebble's container name on kind's network. */
export function acmeDirectory(id: string): string {
  return `https://${containerName(id, 'acme')}:${ACME_PORT}/dir`;
}
