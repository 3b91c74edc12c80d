/**
 * `--provider kind`: a kind cluster on Docker with the routing stack installed from the pin file's upstream
 * manifests and images, public DNS and Pebble as containers beside it. What it may do (capabilities):
 * deploy apps and play a user on the internet from this machine (its scenario environment: envs/kind-env.ts of the scenario layer), but not the embedded lab's own
 * hooks: fault twins (they stop and misconfigure embedded-lab processes), pod exec and the edge's access log, and
 * the management path (the SideroLink stand-in needs the embedded lab's namespaces and NAT; see docs).
 */
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import { execRunner, type Runner } from '../../exec/runner.ts';
import type { Clients } from '../../k8s/client.ts';
import { repoRoot } from '../../paths.ts';
import { type PinFile, loadPinFile } from '../../setup/components.ts';
import { readSysctls, restoreSysctls } from '../../setup/kind/engine.ts';
import { type KindMode, kindMode, localNode, manifestFiles, modeRunner } from './local-mode.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { PIN_FILE } from '../../setup/setup.ts';
import type { DeployTarget } from '../../stack/deploy.ts';
import type { Capabilities, ClusterHandle, ClusterProvider, ProviderInfo } from '../provider.ts';
import { fetchFromPebble, makeAcmeTls } from './acme-tls.ts';
import { type UpDeps, bringUp, kindLog } from './bring-up.ts';
import { DEFAULT_HOST_PORTS, type HostPorts } from './kind-config.ts';
import { clusterName, newKindRunId } from './names.ts';
import { kindUnavailable, oneLine } from './preflight.ts';
import { type KindRun, readRun, removeRun, staleRuns } from './runs.ts';
import { startWithTestcontainers } from './start-container.ts';
import { runTeardown, teardownByHand, teardownPlan } from './teardown.ts';

/** The internet is played from this machine (the scenario layer's envs/kind-env.ts); the embedded lab's own hooks do not exist here. */
export const KIND_CAPABILITIES: Capabilities = {
  clusterScoped: true,
  createApps: true,
  faults: false,
  management: false,
  internet: true,
  labHooks: false,
};

export interface KindProviderOptions {
  /** Runs info()'s checks (up and down use the runner they are given). */
  run?: Runner;
  pinFile?: string;
  env?: NodeJS.ProcessEnv;
  hostPorts?: HostPorts;
  /** Replaces the machine-facing parts (containers, TLS, ids) in unit tests. */
  deps?: Partial<UpDeps>;
  /** Find how this machine reaches Docker (local-mode.ts); default: when no runner is given (the real machine). */
  localMode?: boolean;
}

export function loadKindPins(pinFile = join(repoRoot(), PIN_FILE)): KindPins {
  const pins = loadPinFile(pinFile).kind;
  if (!pins)
    throw new SkyprobeError(`${pinFile} has no kind: section`, {
      hint: 'the kind provider installs what that section pins',
    });
  return pins;
}

export function kindProvider(opts: KindProviderOptions = {}): ClusterProvider {
  const env = opts.env ?? process.env;
  const deps: UpDeps = {
    env,
    hostPorts: opts.hostPorts ?? DEFAULT_HOST_PORTS,
    newId: newKindRunId,
    startContainer: startWithTestcontainers,
    makeTls: makeAcmeTls,
    fetchFromPebble,
    ...opts.deps,
  };
  // info() and up() in one run need the pins and the preflight once: up() skips what info() already found true.
  let pinned: KindPins | undefined;
  const pins = () => (pinned ??= loadKindPins(opts.pinFile));
  let pinFile: PinFile | undefined;
  const allPins = () => (pinFile ??= loadPinFile(opts.pinFile ?? join(repoRoot(), PIN_FILE)));
  let preflightPassed = false;
  // How this machine reaches Docker and kind (local-mode.ts): found once, by info() or up().
  let mode: KindMode | undefined;
  const detect = opts.localMode ?? (opts.run === undefined && opts.deps === undefined);
  const findMode = async (run: Runner): Promise<KindMode | { problem: string; fix: string }> => {
    if (mode) return mode;
    const m = await kindMode(run, allPins(), env);
    if (!('problem' in m)) {
      mode = m;
      // testcontainers reads its settings from the process environment.
      if (env === process.env) Object.assign(process.env, m.env);
    }
    return m;
  };
  return {
    name: 'kind',
    async info(): Promise<ProviderInfo> {
      let p: KindPins;
      try {
        p = pins();
      } catch (err) {
        const hint = (err as SkyprobeError).hint;
        return {
          name: 'kind',
          available: false,
          reason: hint ? `${(err as Error).message}; ${hint}` : (err as Error).message,
        };
      }
      const m = detect ? await findMode(opts.run ?? execRunner) : undefined;
      if (m && 'problem' in m) return { name: 'kind', available: false, reason: oneLine(m) };
      const why = await kindUnavailable(m ? modeRunner(opts.run ?? execRunner, m) : (opts.run ?? execRunner), p);
      preflightPassed = !why;
      return why ? { name: 'kind', available: false, reason: oneLine(why) } : { name: 'kind', available: true };
    },
    async up(up): Promise<ClusterHandle> {
      const m = detect ? await findMode(up.run) : undefined;
      if (m && 'problem' in m)
        throw new SkyprobeError(`the kind provider cannot run here: ${m.problem}`, { hint: m.fix });
      const o = m ? { ...up, run: modeRunner(up.run, m) } : up;
      const why = preflightPassed ? undefined : await kindUnavailable(o.run, pins());
      if (why) throw new SkyprobeError(`the kind provider cannot run here: ${why.problem}`, { hint: why.fix });
      // Runs whose harness was killed: the reaper removed their containers, their clusters are removed here.
      for (const stale of staleRuns(env)) {
        o.progress.info(`removing kind run ${stale.id}: its owner (pid ${stale.ownerPid}) is gone and it was not kept`);
        await runTeardown(o.run, teardownPlan(stale.id, stale.kubeconfig, stale.madeNetwork), kindLog(stale.id, env))
          .then(async () => {
            if (stale.sysctls) await restoreSysctls(o.run, stale.sysctls, kindLog(stale.id, env));
            removeRun(stale);
          })
          .catch((err: unknown) => o.progress.info(`could not remove kind run ${stale.id}: ${(err as Error).message}`));
      }
      if (m) {
        o.progress.info(
          `kind: ${m.engine}; node image ${m.nodeImage.split('@')[0]}; manifests from ${m.manifests === 'files' ? 'files (offline)' : 'their release URLs'}`,
        );
        deps.local = {
          node: m.localNode ? localNode(allPins(), m.nodeImage) : undefined,
          apiServerAddress: m.listenAddress,
          files: m.manifests === 'files' ? manifestFiles(allPins(), env) : undefined,
          sysctls: await readSysctls(o.run),
        };
        if (m.listenAddress) deps.hostPorts = { ...deps.hostPorts, listenAddress: m.listenAddress };
      }
      const rec = await bringUp(pins(), o, deps);
      const probes = {
        resolver: rec.publicDnsIp,
        edge: rec.edgeIp ? [rec.edgeIp] : undefined,
        ca: rec.pebbleRoot,
        metadata: join(rec.dir, 'metadata'),
      };
      return {
        provider: 'kind',
        id: rec.id,
        kubeconfig: rec.kubeconfig,
        capabilities: KIND_CAPABILITIES,
        created: true,
        probes,
        ...(m
          ? {
              environment: {
                'kind engine': m.engine,
                'kind node image': m.nodeImage,
                'kind manifests': m.manifests === 'files' ? 'files (offline: modules and skyprobe)' : 'release URLs',
              },
            }
          : {}),
      };
    },
    async down(h, down): Promise<void> {
      const m = detect ? await findMode(down.run) : undefined;
      const o = m && !('problem' in m) ? { ...down, run: modeRunner(down.run, m) } : down;
      if (o.keep) {
        o.progress.info(
          `kept ${clusterName(h.id)} (kubeconfig ${h.kubeconfig}); remove it with: ${teardownByHand(h.id, h.kubeconfig, readRun(h.id, env)?.madeNetwork)}`,
        );
        return;
      }
      const rec = readRun(h.id, env);
      await runTeardown(o.run, teardownPlan(h.id, h.kubeconfig, rec?.madeNetwork), kindLog(h.id, env));
      if (rec?.sysctls) {
        const restored = await restoreSysctls(o.run, rec.sysctls, kindLog(h.id, env));
        if (restored.length > 0)
          o.progress.info(`host sysctls the kind node changed, restored: ${restored.join(', ')}`);
      }
      if (rec) removeRun(rec);
    },
  };
}

/** Where `skyprobe deploy` and the probes act on a kind run: its zone files, public DNS and edge address. */
export function kindDeployTarget(rec: KindRun, k: Clients): DeployTarget {
  if (!rec.publicDnsIp || !rec.edgeIp)
    throw new SkyprobeError(`kind run ${rec.id} is not up`, { hint: 'bring it up with --provider kind' });
  return {
    k,
    metadataDir: join(rec.dir, 'metadata'),
    dns: { zonesDir: rec.zonesDir, nameserverIp: rec.publicDnsIp, lbIp: rec.edgeIp },
  };
}
