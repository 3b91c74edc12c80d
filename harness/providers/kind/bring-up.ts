/**
 * `up` for kind, as an ordered list of named steps (each reported with its time): the cluster, the edge's
 * address, public DNS and Pebble beside it, then the install plan. Any failure removes what was made (teardown
 * by name and label) unless the caller keeps it; the error names the command, its exit code and the log.
 */
import { DEFAULT_ISSUANCE } from '../../stack/issuance.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../../exec/runner.ts';
import { type Progress, timedStep } from '../../log.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { SATUSKY_ZONE, setRecords } from '../../stack/public-dns.ts';
import { waitUntil } from '../../converge.ts';
import type { ProviderUpOptions } from '../provider.ts';
import type { AcmeTls } from './acme-tls.ts';
import { ACME_MGMT_PORT, acmeDirectory, pebbleSpec, publicDnsSpec } from './containers.ts';
import { type HostPorts, type LocalNode, kindConfig } from './kind-config.ts';
import { type ManifestFiles, installPlan } from './install-plan.ts';
import { clusterName, containerName, controlPlaneNode, kindNetwork } from './names.ts';
import { type KindRun, kindRunsRoot, newRunRecord, removeRun, writeRun } from './runs.ts';
import type { StartContainer } from './start-container.ts';
import { runTeardown, teardownByHand, teardownPlan } from './teardown.ts';
import { runChecked } from '../../exec/checked.ts';
import { restoreSysctls } from '../../setup/kind/engine.ts';
import { POLL, TIMEOUTS, seconds } from '../../timeouts.ts';

export interface UpDeps {
  env: NodeJS.ProcessEnv;
  hostPorts: HostPorts;
  newId: () => string;
  startContainer: StartContainer;
  makeTls: (run: Runner, dir: string, dnsNames: string[], ips?: string[]) => Promise<AcmeTls>;
  fetchFromPebble: (url: string, caPem: string) => Promise<string>;
  /** How this machine reaches Docker and what the cluster is made of (local-mode.ts); absent in unit tests. */
  local?: {
    node?: LocalNode;
    apiServerAddress?: string;
    files?: ManifestFiles;
    /** Host-wide sysctls as found before the cluster: kept in the run record, restored by teardown. */
    sysctls?: Record<string, string>;
  };
}

/** The log of every command run for a kind run; outside its folder, so that it outlives a failed `up`. */
export function kindLog(id: string, env?: NodeJS.ProcessEnv): string {
  const dir = join(kindRunsRoot(env), 'logs');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${id}.log`);
}

const checked = (
  run: Runner,
  argv: string[],
  o: { log: string; what: string; timeoutMs: number; input?: string; hint?: string },
): Promise<string> =>
  runChecked(run, argv, {
    what: o.what,
    timeoutMs: o.timeoutMs,
    input: o.input,
    logFile: o.log,
    hint: o.hint ?? `see ${o.log}; rerun with --keep to inspect the cluster`,
  });

export async function bringUp(pins: KindPins, o: ProviderUpOptions, d: UpDeps): Promise<KindRun> {
  const { run, progress } = o;
  const keep = Boolean(o.keep);
  const id = d.newId();
  const rec = newRunRecord(id, clusterName(id), keep, d.hostPorts, d.env);
  if (d.local?.sysctls) rec.sysctls = d.local.sysctls;
  const log = kindLog(id, d.env);
  mkdirSync(rec.zonesDir, { recursive: true });
  writeRun(rec);
  const network = kindNetwork(d.env);
  try {
    // kind makes its network on the first create and never removes it: this run owns it only if it is new
    const existing = await run('docker', ['network', 'inspect', network], { timeoutMs: TIMEOUTS.dockerInspect });
    if (existing.exitCode !== 0) {
      rec.madeNetwork = network;
      writeRun(rec);
    }
    const nodeImage = d.local?.node?.nodeImage ?? pins.nodeImage;
    await timedStep(progress, 'kind', `create cluster ${rec.cluster} (${nodeImage.split('@')[0]})`, () =>
      checked(
        run,
        [
          'kind',
          'create',
          'cluster',
          '--name',
          rec.cluster,
          '--config',
          '-',
          '--kubeconfig',
          rec.kubeconfig,
          '--wait',
          `${seconds(TIMEOUTS.kindNodeReady)}s`,
        ],
        {
          log,
          what: `create kind cluster ${rec.cluster}`,
          timeoutMs: TIMEOUTS.kindCreate,
          input: kindConfig(pins, id, d.hostPorts, {
            local: d.local?.node,
            apiServerAddress: d.local?.apiServerAddress,
          }),
          hint: `see ${log}; ports ${d.hostPorts.http} and ${d.hostPorts.https} on ${d.hostPorts.listenAddress} must be free`,
        },
      ),
    );
    const inspect = [
      'docker',
      'inspect',
      '--format',
      `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`,
      controlPlaneNode(id),
    ];
    rec.edgeIp = await timedStep(progress, 'kind', `edge address (the node on network ${network})`, async () =>
      (
        await checked(run, inspect, { log, what: "read the kind node's address", timeoutMs: TIMEOUTS.dockerInspect })
      ).trim(),
    );
    writeRun(rec);
    await timedStep(progress, 'kind', 'public DNS (CoreDNS container)', async () => {
      const dns = await d.startContainer(publicDnsSpec(pins, id, { network, zonesDir: rec.zonesDir }), { keep });
      rec.publicDnsIp = dns.ip;
      setRecords(rec.zonesDir, SATUSKY_ZONE, [], dns.ip);
    });
    const tls = await timedStep(progress, 'kind', 'ACME (Pebble container) and its issuing root', async () => {
      const host = d.env.TESTCONTAINERS_HOST_OVERRIDE;
      const t = await d.makeTls(run, join(rec.dir, 'tls'), [containerName(id, 'acme')], host ? [host] : []);
      const acme = await d.startContainer(
        pebbleSpec(pins, id, { network, publicDnsIp: rec.publicDnsIp as string, tls: t }),
        { keep },
      );
      const url = `https://${acme.host}:${acme.port(ACME_MGMT_PORT)}/roots/0`;
      const root = await waitUntil(`Pebble's root at ${url}`, () => d.fetchFromPebble(url, t.caPem), {
        timeoutMs: TIMEOUTS.pebbleRoot,
        intervalMs: POLL.api,
      });
      writeFileSync(rec.pebbleRoot, `${root.trim()}\n`);
      rec.acmeDirectory = acmeDirectory(id);
      writeRun(rec);
      return t;
    });
    const plan = installPlan(pins, {
      edgeIp: rec.edgeIp,
      publicDnsIp: rec.publicDnsIp as string,
      acme: { directory: rec.acmeDirectory as string, caPem: tls.caPem },
      issuance: o.issuance ?? DEFAULT_ISSUANCE.kind,
      files: d.local?.files,
    });
    for (const s of plan)
      await timedStep(progress, 'kind', s.name, () =>
        checked(run, ['kubectl', '--kubeconfig', rec.kubeconfig, ...s.args], {
          log,
          what: s.name,
          timeoutMs: s.timeoutMs,
          input: s.input,
          hint: s.hint && `${s.hint}; log: ${log}`,
        }),
      );
    rec.status = 'up';
    writeRun(rec);
    return rec;
  } catch (err) {
    if (!keep) {
      progress.info(`removing what was created for ${rec.cluster} (keep it for inspection with --keep)`);
      await runTeardown(run, teardownPlan(id, rec.kubeconfig, rec.madeNetwork), log).catch((e: unknown) =>
        progress.info(`teardown incomplete: ${(e as Error).message}`),
      );
      // a node that started changed host-wide sysctls: set back as found, as down() does
      if (rec.sysctls)
        await restoreSysctls(run, rec.sysctls, log).catch((e: unknown) =>
          progress.info(`host sysctls not restored: ${(e as Error).message}`),
        );
      removeRun(rec);
    } else
      progress.info(
        `kept ${rec.cluster} for inspection (kubeconfig ${rec.kubeconfig}); remove it with: ${teardownByHand(id, rec.kubeconfig, rec.madeNetwork)}`,
      );
    throw err;
  }
}
