/**
 * skyprobe's own Docker engine, as data: where it keeps everything (one folder of the cache), the network
 * namespace it runs in, the link from this machine into that namespace, dockerd's config and the runc wrapper.
 * Pure: engine.ts runs it. Why a namespace of its own: Docker 20.10 sets the FORWARD policy to DROP and adds NAT
 * rules; inside its own namespace those changes never touch the root namespace, where the embedded lab's routed
 * traffic passes (docs/architecture.md, "The kind path offline").
 */
import { join } from 'node:path';
import { type CachePaths, cachePaths } from '../cache.ts';

export const ENGINE_NETNS = 'skyprobe-engine';

/**
 * The veth pair between the root namespace and the engine's: this machine reaches the engine's containers
 * (kind's node, public DNS, Pebble) through it, and kind publishes the API server and ports 80/443 on the
 * engine side's address. 10.91/16..10.93/16: outside the embedded lab's plan (10.89/16, 10.244/16, 10.96/16).
 */
export const ENGINE_LINK = {
  hostIf: 'sp-engine0',
  engineIf: 'sp-engine1',
  host: '10.91.255.1',
  engine: '10.91.255.2',
  prefix: 30,
} as const;
/** docker0's address, and the pool user-defined networks (kind's) take their subnets from. */
export const ENGINE_BRIDGE = '10.92.255.1/24';
export const ENGINE_POOL = '10.93.0.0/16';

/**
 * Host-wide settings a privileged kind node writes through its /proc/sys (kind's entrypoint and kubelet, as a
 * real kindest/node does): recorded before the engine starts, restored when it stops.
 */
export const NODE_SYSCTLS = [
  'kernel.panic',
  'kernel.panic_on_oops',
  'vm.overcommit_memory',
  'fs.file-max',
  'fs.protected_fifos',
  'fs.protected_regular',
  'fs.protected_symlinks',
  'fs.inotify.max_user_watches',
  'fs.inotify.max_user_instances',
] as const;

export interface EnginePaths {
  dir: string;
  socket: string;
  dockerHost: string;
  config: string;
  runcWrapper: string;
  pidfile: string;
  log: string;
  /** engine.json: that skyprobe started it, and what to restore when it stops. */
  state: string;
}

export function enginePaths(paths: CachePaths = cachePaths()): EnginePaths {
  const dir = join(paths.root, 'engine');
  const socket = join(dir, 'docker.sock');
  return {
    dir,
    socket,
    dockerHost: `unix://${socket}`,
    config: join(dir, 'daemon.json'),
    runcWrapper: join(dir, 'runc-wrapper'),
    pidfile: join(dir, 'dockerd.pid'),
    log: join(dir, 'dockerd.log'),
    state: join(dir, 'engine.json'),
  };
}

/** dockerd's config: everything under one folder, the runc wrapper as the default runtime, the address plan. */
export function daemonConfig(p: EnginePaths): Record<string, unknown> {
  return {
    'data-root': join(p.dir, 'data'),
    'exec-root': join(p.dir, 'exec'),
    pidfile: p.pidfile,
    hosts: [p.dockerHost],
    runtimes: { 'skyprobe-runc': { path: p.runcWrapper } },
    'default-runtime': 'skyprobe-runc',
    'storage-driver': 'overlay2',
    bip: ENGINE_BRIDGE,
    'default-address-pools': [{ base: ENGINE_POOL, size: 24 }],
  };
}

/**
 * The runc Docker runs: this machine's capability bounding set lacks CAP_SYS_RESOURCE, and Docker 20.10 asks for
 * every capability of a --privileged container ("runc create failed: unable to apply caps: operation not
 * permitted"). The wrapper removes that one capability from the bundle's config.json (create, run) or the
 * --process file (exec), then runs Debian's runc. Nothing else is changed.
 */
export function runcWrapperScript(runc = '/usr/sbin/runc'): string {
  return `#!/bin/sh
# Written by skyprobe setup --kind --engine (harness/setup/kind/engine-config.ts). Drops CAP_SYS_RESOURCE, which
# this machine's capability bounding set lacks, from what Docker asks runc for; then runs ${runc}.
cmd=""; bundle=""; process=""; prev=""
for a in "$@"; do
  case "$prev" in --bundle|-b) bundle="$a";; --process|-p) process="$a";; esac
  case "$a" in --bundle=*) bundle="\${a#--bundle=}";; --process=*) process="\${a#--process=}";; esac
  case "$a" in create|run|exec) [ -z "$cmd" ] && cmd="$a";; esac
  prev="$a"
done
strip() {
  [ -f "$1" ] || return 0
  jq "$2 |= (if . then map(select(. != \\"CAP_SYS_RESOURCE\\")) else . end)" "$1" > "$1.skyprobe" && mv "$1.skyprobe" "$1"
}
case "$cmd" in
  create|run) for k in bounding effective inheritable permitted ambient; do strip "\${bundle:-.}/config.json" ".process.capabilities.$k"; done;;
  exec) for k in bounding effective inheritable permitted ambient; do strip "$process" ".capabilities.$k"; done;;
esac
exec ${runc} "$@"
`;
}

/** What engine.json holds. */
export interface EngineState {
  netns: string;
  dockerHost: string;
  /** The engine side of the link: where kind publishes ports, and what testcontainers is told the host is. */
  address: string;
  pid: number;
  startedAt: string;
  /** Host-wide sysctls as found before the engine started (NODE_SYSCTLS). */
  sysctls: Record<string, string>;
}
