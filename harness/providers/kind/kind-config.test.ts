import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePinFile } from '../../setup/components.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { kindConfig } from './kind-config.ts';

const text = readFileSync(new URL('../../../fixtures/components.yaml', import.meta.url), 'utf8');
const pins = parsePinFile(text).kind as KindPins;

describe('kind config', () => {
  it('is one control-plane node of the pinned image, with the edge ports 80/443 mapped to the machine', () => {
    const cfg = parse(kindConfig(pins, 'ab12cd'));
    expect(cfg).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'skyprobe-ab12cd',
      nodes: [
        {
          role: 'control-plane',
          image: 'kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed',
          extraPortMappings: [
            { containerPort: 80, hostPort: 80, listenAddress: '127.0.0.1', protocol: 'TCP' },
            { containerPort: 443, hostPort: 443, listenAddress: '127.0.0.1', protocol: 'TCP' },
          ],
        },
      ],
    });
  });

  it('takes the node image from the pin file, so a changed pin changes the cluster', () => {
    const digest = 'a'.repeat(64);
    const other = parsePinFile(
      text.replace(/kindest\/node:v1\.36\.4@sha256:[0-9a-f]+/, `kindest/node:v1.36.9@sha256:${digest}`),
    ).kind as KindPins;
    expect(parse(kindConfig(other, 'x')).nodes[0].image).toBe(`kindest/node:v1.36.9@sha256:${digest}`);
  });

  it('maps other host ports when 80/443 are taken on the machine', () => {
    const cfg = parse(kindConfig(pins, 'x', { http: 8080, https: 8443, listenAddress: '0.0.0.0' }));
    expect(
      cfg.nodes[0].extraPortMappings.map((m: { hostPort: number; containerPort: number }) => [
        m.hostPort,
        m.containerPort,
      ]),
    ).toEqual([
      [8080, 80],
      [8443, 443],
    ]);
    expect(cfg.nodes[0].extraPortMappings[0].listenAddress).toBe('0.0.0.0');
  });
});
