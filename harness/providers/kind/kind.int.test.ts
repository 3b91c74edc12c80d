/**
 * The whole kind path on a real Docker engine and kind: up, the stack is there, down, nothing is left. It runs
 * only where `docker info` succeeds and `kind` is on PATH; elsewhere it is reported as skipped, with the reason
 * in its name, and never counts as passed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { execRunner } from '../../exec/runner.ts';
import { streamProgress } from '../../log.ts';
import { kindProvider } from './kind-provider.ts';
import { RUN_LABEL, clusterName, controlPlaneNode } from './names.ts';
import { readRun } from './runs.ts';

const run = execRunner;

async function whyNot(): Promise<string | undefined> {
  const docker = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (docker.exitCode !== 0)
    return `docker info failed: ${docker.notFound ? 'docker is not on PATH' : docker.output.trim().split('\n')[0]}`;
  const kind = await run('kind', ['version'], { timeoutMs: 10_000 });
  if (kind.notFound) return 'kind is not on PATH';
  return undefined;
}

const skip = await whyNot();
const title =
  "kind: up → Gateway API CRDs established, Gateway Programmed, cert-manager available, Pebble answers on kind's network → down leaves nothing";

describe('kind provider on Docker', () => {
  it.skipIf(skip !== undefined)(
    skip ? `${title} (skipped: ${skip})` : title,
    async () => {
      const provider = kindProvider({ run });
      const progress = streamProgress(process.stderr);
      const h = await provider.up({ run, progress });
      const kubectl = async (...args: string[]) => {
        const r = await run('kubectl', ['--kubeconfig', h.kubeconfig, ...args], { timeoutMs: 60_000 });
        expect(r.exitCode, r.output).toBe(0);
        return r.output.trim();
      };
      const condition = (type: string) => `jsonpath={.status.conditions[?(@.type=="${type}")].status}`;
      try {
        for (const crd of ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'])
          expect(await kubectl('get', `crd/${crd}.gateway.networking.k8s.io`, '-o', condition('Established'))).toBe(
            'True',
          );
        const rec = readRun(h.id);
        expect(await kubectl('-n', 'satusky-edge', 'get', 'gateway/satusky-edge', '-o', condition('Programmed'))).toBe(
          'True',
        );
        expect(
          await kubectl(
            '-n',
            'satusky-edge',
            'get',
            'gateway/satusky-edge',
            '-o',
            'jsonpath={.status.addresses[*].value}',
          ),
        ).toContain(rec?.edgeIp);
        expect(
          await kubectl('-n', 'cert-manager', 'get', 'deployment/cert-manager', '-o', condition('Available')),
        ).toBe('True');
        // From inside kind's network (the node container; its image ships curl), by Pebble's container name,
        // verifying Pebble's listener against the run's CA.
        const ca = readFileSync(rec?.acmeCa as string, 'utf8');
        const dir = await run(
          'docker',
          [
            'exec',
            '-i',
            controlPlaneNode(h.id),
            'sh',
            '-c',
            `cat >/tmp/skyprobe-acme-ca.pem && curl -sS --fail --cacert /tmp/skyprobe-acme-ca.pem ${rec?.acmeDirectory}`,
          ],
          { input: ca, timeoutMs: 30_000 },
        );
        expect(dir.exitCode, dir.output).toBe(0);
        expect(JSON.parse(dir.output)).toHaveProperty('newAccount');
      } finally {
        await provider.down(h, { run, progress });
        progress.close();
      }
      const clusters = await run('kind', ['get', 'clusters'], { timeoutMs: 30_000 });
      expect(clusters.output.split('\n').map((l) => l.trim())).not.toContain(clusterName(h.id));
      const left = await run('docker', ['ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${h.id}`], {
        timeoutMs: 30_000,
      });
      expect(left.output.trim()).toBe('');
    },
    1_500_000,
  );
});
