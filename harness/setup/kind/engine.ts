/**
 * Starting and stopping skyprobe's own Docker engine (`skyprobe setup --kind --engine`, `--engine-stop`): only ever
 * on request, never as a side effect of a run. dockerd runs in the network namespace ENGINE_NETNS, linked to the
 * root namespace by a veth pair; host-wide sysctls a kind node changes are recorded first and restored on stop.
 * An engine that skyprobe did not start (a CI runner's, a laptop's) is never touched here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { StopWaiting, waitUntil } from '../../converge.ts';
import { SkyprobeError } from '../../errors.ts';
import { runChecked } from '../../exec/checked.ts';
import { ownerAlive } from '../../exec/pid.ts';
import type { Runner } from '../../exec/runner.ts';
import { type Progress, timedStep } from '../../log.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';
import {
  ENGINE_LINK,
  ENGINE_NETNS,
  ENGINE_POOL,
  type EnginePaths,
  type EngineState,
  NODE_SYSCTLS,
  daemonConfig,
  runcWrapperScript,
} from './engine-config.ts';

export function readEngineState(p: EnginePaths): EngineState | undefined {
  try {
    return JSON.parse(readFileSync(p.state, 'utf8')) as EngineState;
  } catch {
    return undefined;
  }
}

/** Whether a daemon answers on `dockerHost` (docker info), and its version. */
export async function engineAnswers(run: Runner, dockerHost?: string): Promise<string | undefined> {
  const res = await run('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeoutMs: TIMEOUTS.dockerInfo,
    env: dockerHost ? { DOCKER_HOST: dockerHost } : undefined,
  });
  const v = res.output.trim().split('\n').at(-1)?.trim();
  return res.exitCode === 0 && v ? v : undefined;
}

/** skyprobe's engine, when it runs and answers. */
export async function runningEngine(run: Runner, p: EnginePaths): Promise<EngineState | undefined> {
  const st = readEngineState(p);
  if (!st || !ownerAlive(st.pid)) return undefined;
  return (await engineAnswers(run, st.dockerHost)) ? st : undefined;
}

export async function readSysctls(run: Runner): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of NODE_SYSCTLS) {
    const res = await run('sysctl', ['-n', k], { timeoutMs: TIMEOUTS.command });
    if (res.exitCode === 0) out[k] = res.output.trim();
  }
  return out;
}

/** Set back every recorded sysctl that differs now; returns what was restored (`name old->restored`). */
export async function restoreSysctls(run: Runner, before: Record<string, string>, log?: string): Promise<string[]> {
  const now = await readSysctls(run);
  const changed: string[] = [];
  for (const [k, v] of Object.entries(before)) {
    if (now[k] === v) continue;
    await runChecked(run, ['sysctl', '-w', `${k}=${v}`], { what: `restore ${k}`, logFile: log });
    changed.push(`${k} ${now[k]}->${v}`);
  }
  return changed;
}

/** nsenter, not `ip netns exec`: that one mounts a fresh /sys, which hides the cgroup mounts dockerd needs. */
function lastLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
  } catch {
    return '';
  }
}

const NSENTER = ['nsenter', `--net=/run/netns/${ENGINE_NETNS}`];
const inNetns = (argv: string[]) => [...NSENTER, ...argv];

export async function startEngine(run: Runner, progress: Progress, p: EnginePaths): Promise<EngineState> {
  const running = await runningEngine(run, p);
  if (running) {
    progress.info(`skyprobe's Docker engine already runs (pid ${running.pid}, DOCKER_HOST=${running.dockerHost})`);
    return running;
  }
  const other = await engineAnswers(run);
  if (other)
    throw new SkyprobeError(`a Docker engine (${other}) already answers here`, {
      hint: 'the kind provider uses it as it is: skyprobe starts its own engine only where none answers',
    });
  const dockerd = await run('dockerd', ['--version'], { timeoutMs: TIMEOUTS.toolVersion });
  if (dockerd.exitCode !== 0)
    throw new SkyprobeError('dockerd is not installed', {
      hint: 'run: npx skyprobe setup --kind --engine (installs the engine, then starts it)',
    });
  mkdirSync(p.dir, { recursive: true });
  const log = p.log;
  const sh = (argv: string[], what: string) => runChecked(run, argv, { what, logFile: log });
  const sysctls = await readSysctls(run);
  try {
    return await bringUpEngine(run, progress, p, sysctls);
  } catch (err) {
    // Nothing half-made stays: no namespace, link or route of a dockerd that did not come up.
    await cleanNetwork(run, log);
    throw err;
  }
}

async function bringUpEngine(
  run: Runner,
  progress: Progress,
  p: EnginePaths,
  sysctls: Record<string, string>,
): Promise<EngineState> {
  const log = p.log;
  const sh = (argv: string[], what: string) => runChecked(run, argv, { what, logFile: log });
  await timedStep(progress, 'engine', `network namespace ${ENGINE_NETNS} and its link`, async () => {
    await cleanNetwork(run, log);
    await sh(['ip', 'netns', 'add', ENGINE_NETNS], 'add the network namespace');
    await sh(
      ['ip', 'link', 'add', ENGINE_LINK.hostIf, 'type', 'veth', 'peer', 'name', ENGINE_LINK.engineIf],
      'add the veth pair',
    );
    await sh(['ip', 'link', 'set', ENGINE_LINK.engineIf, 'netns', ENGINE_NETNS], 'move its end');
    await sh(
      ['ip', 'addr', 'add', `${ENGINE_LINK.host}/${ENGINE_LINK.prefix}`, 'dev', ENGINE_LINK.hostIf],
      'address the host end',
    );
    await sh(['ip', 'link', 'set', ENGINE_LINK.hostIf, 'up'], 'bring the host end up');
    await sh(
      inNetns(['ip', 'addr', 'add', `${ENGINE_LINK.engine}/${ENGINE_LINK.prefix}`, 'dev', ENGINE_LINK.engineIf]),
      'address the engine end',
    );
    await sh(inNetns(['ip', 'link', 'set', ENGINE_LINK.engineIf, 'up']), 'bring the engine end up');
    await sh(inNetns(['ip', 'link', 'set', 'lo', 'up']), 'bring loopback up');
    await sh(['ip', 'route', 'add', ENGINE_POOL, 'via', ENGINE_LINK.engine], 'route the engine networks');
  });
  writeFileSync(p.runcWrapper, runcWrapperScript(), { mode: 0o755 });
  writeFileSync(p.config, `${JSON.stringify(daemonConfig(p), null, 2)}\n`);
  const pid = await timedStep(progress, 'engine', `dockerd (log ${p.log})`, async () => {
    const out = openSync(p.log, 'a');
    const child = spawn(NSENTER[0] as string, [...NSENTER.slice(1), 'dockerd', '--config-file', p.config], {
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    const childPid = child.pid as number;
    await waitUntil(
      `dockerd answering on ${p.socket}`,
      async () => {
        if (!ownerAlive(childPid))
          throw new StopWaiting(new SkyprobeError(`dockerd exited: ${lastLine(p.log)}`, { hint: `see ${p.log}` }));
        return engineAnswers(run, p.dockerHost);
      },
      {
        timeoutMs: TIMEOUTS.engineStart,
        intervalMs: POLL.api,
        hint: () => `see ${p.log}`,
      },
    );
    return Number(readFileSync(p.pidfile, 'utf8').trim()) || childPid;
  });
  // Docker's FORWARD chain lets in only published ports; this machine reaches every container through the link.
  await sh(
    inNetns(['iptables', '-I', 'DOCKER-USER', '-i', ENGINE_LINK.engineIf, '-j', 'ACCEPT']),
    'let the link reach the containers',
  );
  const st: EngineState = {
    netns: ENGINE_NETNS,
    dockerHost: p.dockerHost,
    address: ENGINE_LINK.engine,
    pid,
    startedAt: new Date().toISOString(),
    sysctls,
  };
  writeFileSync(p.state, `${JSON.stringify(st, null, 2)}\n`);
  return st;
}

async function cleanNetwork(run: Runner, log: string): Promise<void> {
  await run('ip', ['route', 'del', ENGINE_POOL], { timeoutMs: TIMEOUTS.command, logFile: log });
  await run('ip', ['link', 'del', ENGINE_LINK.hostIf], { timeoutMs: TIMEOUTS.command, logFile: log });
  await run('ip', ['netns', 'del', ENGINE_NETNS], { timeoutMs: TIMEOUTS.command, logFile: log });
}

/**
 * Stop what startEngine started: every container of the engine (kind nodes included), dockerd and its
 * containerd, the namespace and link; then the host-wide sysctls as recorded. Returns the sysctls restored.
 */
export async function stopEngine(run: Runner, progress: Progress, p: EnginePaths): Promise<string[]> {
  const st = readEngineState(p);
  if (!st) {
    progress.info("skyprobe's Docker engine is not running (no engine.json)");
    return [];
  }
  const env = { DOCKER_HOST: st.dockerHost };
  const runE: Runner = (file, args, o) => run(file, args, { ...o, env: { ...o?.env, ...env } });
  if (ownerAlive(st.pid)) {
    await timedStep(progress, 'engine', 'remove its containers', async () => {
      const ids = await run('docker', ['ps', '--all', '--quiet'], { env, timeoutMs: TIMEOUTS.dockerInfo });
      const list = ids.output.split('\n').filter((l) => /^[0-9a-f]{12,64}$/.test(l.trim()));
      if (list.length > 0)
        await runChecked(runE, ['docker', 'rm', '--force', '--volumes', ...list], {
          what: 'remove the containers',
          timeoutMs: TIMEOUTS.kindTeardown,
          logFile: p.log,
        });
      await run('docker', ['network', 'prune', '--force'], { env, timeoutMs: TIMEOUTS.dockerInfo, logFile: p.log });
    });
    await timedStep(progress, 'engine', `stop dockerd (pid ${st.pid})`, async () => {
      process.kill(st.pid, 'SIGTERM');
      await waitUntil(`dockerd (pid ${st.pid}) exited`, async () => !ownerAlive(st.pid), {
        timeoutMs: TIMEOUTS.engineStop,
        intervalMs: POLL.api,
        hint: `see ${p.log}`,
      });
    });
  }
  await timedStep(progress, 'engine', `remove network namespace ${ENGINE_NETNS} and its link`, () =>
    cleanNetwork(run, p.log),
  );
  const restored = await restoreSysctls(run, st.sysctls, p.log);
  if (restored.length > 0) progress.info(`host sysctls restored: ${restored.join(', ')}`);
  rmSync(p.state, { force: true });
  if (existsSync(p.socket)) rmSync(p.socket, { force: true });
  return restored;
}
