/**
 * The whole kind path on a real Docker engine and kind: a `skyprobe run --provider kind` SIGKILLed once its cluster
 * exists; then up, which removes the killed run's cluster and containers; the stack is there; down, nothing is left
 * (no cluster, no labelled container of either run, kind's Docker network and host sysctls as before the killed
 * run). It runs wherever the provider's own preflight passes: a Docker engine that answers (or skyprobe's own,
 * `setup --kind --engine`), and kind (the cache's or on PATH); elsewhere it is reported as skipped, with the
 * provider's one-line reason in its name, and never counts as passed.
 */
import { join } from 'node:path';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../converge.ts';
import { execRunner } from '../../exec/runner.ts';
import { streamProgress } from '../../log.ts';
import { repoRoot } from '../../paths.ts';
import { loadPinFile } from '../../setup/components.ts';
import { readSysctls } from '../../setup/kind/engine.ts';
import { PIN_FILE } from '../../setup/setup.ts';
import { kindProvider } from './kind-provider.ts';
import { kindMode, modeRunner } from './local-mode.ts';
import { RUN_LABEL, clusterName, controlPlaneNode, kindNetwork } from './names.ts';
import { kindRunsRoot, readRun } from './runs.ts';

const provider = kindProvider({ run: execRunner, localMode: true });
const info = await provider.info();
const skip = info.available ? undefined : info.reason;
const mode = skip ? undefined : await kindMode(execRunner, loadPinFile(join(repoRoot(), PIN_FILE)));
// docker and kind as the provider runs them (skyprobe's engine: its socket, kind inside its namespace)
const run = mode && !('problem' in mode) ? modeRunner(execRunner, mode) : execRunner;
const title =
  "kind: a SIGKILLed run swept by the next up → Gateway API CRDs established, Gateway Programmed, cert-manager available, Pebble answers on kind's network → down leaves nothing";

describe('kind provider on Docker', () => {
  it.skipIf(skip !== undefined)(
    skip ? `${title} (skipped: ${skip})` : title,
    async () => {
      const progress = streamProgress(process.stderr);
      const sysctlsBefore = await readSysctls(run);
      const labelled = async (id: string) =>
        (
          await run('docker', ['ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${id}`], {
            timeoutMs: 30_000,
          })
        ).output.trim();
      const kindNetworkThere = async () =>
        (await run('docker', ['network', 'inspect', kindNetwork()], { timeoutMs: 30_000 })).exitCode === 0;
      const networkBefore = await kindNetworkThere();
      const clusters = async () =>
        (await run('kind', ['get', 'clusters'], { timeoutMs: 30_000 })).output.split('\n').map((l) => l.trim());

      // A run killed mid-way: once its cluster exists (the run record has the node's address), SIGKILL the
      // harness alone, as a crash or the OOM killer would; its children are left to end as they will.
      const bin = join(repoRoot(), 'bin', 'skyprobe.mjs');
      const child = execa('node', [bin, 'run', '--provider', 'kind', '--routing', 'current', '--scenario', 'ST-01'], {
        reject: false,
        env: { NO_COLOR: '1' },
      });
      const killed = await waitUntil(
        'the killed run has a cluster',
        async () => {
          if (child.exitCode !== null) throw new Error(`the run ended before it was killed: ${child.exitCode}`);
          const root = kindRunsRoot();
          const rec = existsSync(root)
            ? readdirSync(root)
                .map((id) => readRun(id))
                .find((r) => r?.ownerPid === child.pid)
            : undefined;
          return rec?.edgeIp ? rec : undefined;
        },
        { timeoutMs: 400_000, intervalMs: 500 },
      );
      child.kill('SIGKILL');
      await child;
      expect(await clusters()).toContain(killed.cluster);

      const h = await provider.up({ run: execRunner, progress });
      expect(h.id).not.toBe(killed.id);
      expect(await clusters(), "the killed run's cluster").not.toContain(killed.cluster);
      expect(await labelled(killed.id), "the killed run's containers").toBe('');
      expect(readRun(killed.id), "the killed run's record").toBeUndefined();
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
        await provider.down(h, { run: execRunner, progress });
        progress.close();
      }
      expect(await readSysctls(run), 'host sysctls as before the killed run').toEqual(sysctlsBefore);
      expect(await clusters()).not.toContain(clusterName(h.id));
      expect(await labelled(h.id)).toBe('');
      expect(await kindNetworkThere(), "kind's network as before (removed by the run that made it)").toBe(
        networkBefore,
      );
    },
    1_900_000,
  );
});
