/**
 * What labs left on the machine, in one inventory: network namespaces (sky-*), links in the root namespace
 * (the lab's veth sky<id>), processes carrying a lab label (SKYPROBE_LAB in their environment), iptables rules of
 * the root namespace that name a lab range or a lab link, mounts of a lab (under the run folder, or a lab
 * namespace's file), /etc/netns entries and /run/skyprobe entries. The machine is handed in (a Runner and two file
 * reads), so that the inventory is unit-tested on a fake one. Empty everywhere is a clean machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Runner } from '../../exec/runner.ts';
import { TIMEOUTS } from '../../timeouts.ts';
import { LAB_LABEL } from './processes.ts';
import { runDir } from './state.ts';

export interface Leftovers {
  namespaces: string[];
  links: string[];
  /** pid, the lab id of its label, and its command line. */
  processes: { pid: number; lab: string; command: string }[];
  iptables: string[];
  mounts: string[];
  netnsDirs: string[];
  runDirs: string[];
}

export interface Machine {
  run: Runner;
  readFile(path: string): string;
  readdir(path: string): string[];
  /** This process, left out of the processes (the harness itself may carry a label). */
  self?: number;
  /** The lab's run folder (default /run/skyprobe, $SKYPROBE_RUN_DIR). */
  runDir?: string;
}

/** This machine, as the inventory reads it. */
export function thisMachine(run: Runner, env?: NodeJS.ProcessEnv): Machine {
  return {
    run,
    readFile: (path) => readFileSync(path, 'latin1'),
    readdir: (path) => readdirSync(path),
    self: process.pid,
    runDir: runDir(env),
  };
}

const LAB_NAME = /^sky-?[0-9a-f]{4}/;
/** The lab's address ranges (address-plan.ts) and its link names, as they appear in iptables-save. */
const LAB_RULE = /\b(?:10\.89\.|10\.244\.|198\.51\.100\.|203\.0\.113\.)|\bsky-?[0-9a-f]{4}\b/;

const orEmpty = <T>(f: () => T[]): T[] => {
  try {
    return f();
  } catch {
    return [];
  }
};

export async function leftovers(m: Machine): Promise<Leftovers> {
  const runDir = (m.runDir ?? '/run/skyprobe').replace(/\/$/, '');
  const [netns, links, rules] = await Promise.all([
    m.run('ip', ['netns', 'list'], { timeoutMs: TIMEOUTS.ipCommand }),
    m.run('ip', ['-o', 'link', 'show'], { timeoutMs: TIMEOUTS.ipCommand }),
    m.run('iptables-save', [], { timeoutMs: TIMEOUTS.ipCommand }),
  ]);
  const processes: Leftovers['processes'] = [];
  for (const entry of orEmpty(() => m.readdir('/proc'))) {
    if (!/^\d+$/.test(entry) || Number(entry) === m.self) continue;
    try {
      const env = m.readFile(`/proc/${entry}/environ`);
      const lab = new RegExp(`(?:^|\\0)${LAB_LABEL}=([^\\0]*)`).exec(env)?.[1];
      if (!lab) continue;
      const command = m.readFile(`/proc/${entry}/cmdline`).split('\0').filter(Boolean).join(' ');
      processes.push({ pid: Number(entry), lab, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  const mountPoints = orEmpty(() => m.readFile('/proc/self/mountinfo').split('\n'))
    .map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((t) => t.startsWith(`${runDir}/`) || /^\/run\/netns\/sky-/.test(t));
  return {
    namespaces: netns.output
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter((n) => n.startsWith('sky-')),
    links: links.output
      .split('\n')
      .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '')
      .filter((n) => LAB_NAME.test(n)),
    processes,
    iptables: rules.output
      .split('\n')
      .filter((l) => l.startsWith('-A ') && LAB_RULE.test(l))
      .sort(),
    mounts: [...new Set(mountPoints)].sort(),
    netnsDirs: orEmpty(() => m.readdir('/etc/netns'))
      .filter((d) => d.startsWith('sky-'))
      .map((d) => `/etc/netns/${d}`),
    runDirs: orEmpty(() => m.readdir(runDir)).map((d) => `${runDir}/${d}`),
  };
}

/** The number of things left, and one line naming them (empty when none). */
export function describeLeftovers(l: Leftovers): { count: number; line: string } {
  const parts: string[] = [];
  const add = (what: string, items: string[]) => {
    if (items.length > 0) parts.push(`${items.length} ${what} (${items.join(', ')})`);
  };
  add('namespaces', l.namespaces);
  add('links', l.links);
  add(
    'processes',
    l.processes.map((p) => `${p.pid} of lab ${p.lab}: ${p.command.slice(0, 60)}`),
  );
  add('iptables rules', l.iptables);
  add('mounts', l.mounts);
  add('/etc/netns entries', l.netnsDirs);
  add('run folder entries', l.runDirs);
  const count =
    l.namespaces.length +
    l.links.length +
    l.processes.length +
    l.iptables.length +
    l.mounts.length +
    l.netnsDirs.length +
    l.runDirs.length;
  return { count, line: parts.join('; ') };
}

/** What `after` holds that `before` did not (the soak's per-run figure: the machine's own rules are not a lab's). */
export function newLeftovers(before: Leftovers, after: Leftovers): Leftovers {
  const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  return {
    namespaces: minus(after.namespaces, before.namespaces),
    links: minus(after.links, before.links),
    processes: after.processes.filter((p) => !before.processes.some((q) => q.pid === p.pid)),
    iptables: minus(after.iptables, before.iptables),
    mounts: minus(after.mounts, before.mounts),
    netnsDirs: minus(after.netnsDirs, before.netnsDirs),
    runDirs: minus(after.runDirs, before.runDirs),
  };
}
