/**
 * The one table from container image to program: what a "container" of that image runs in the lab. The lab
 * has no container runtime; a pod's container is this program, started in the pod's network namespace.
 * `entrypoint` plays the image's ENTRYPOINT; a container `command` whose first word is the image's own
 * entrypoint path (e.g. "/coredns") is mapped onto the same program.
 */
import { join } from 'node:path';

export interface ImageProgram {
  /** What the image reference must match. */
  match: RegExp;
  /** Human name for status and errors. */
  name: string;
  /** argv of the program, given a way to find built binaries. */
  entrypoint: (bin: (name: string) => string, repo: string) => string[];
  /** The image's own entrypoint path(s), as pod specs name them in `command`. */
  aliases: string[];
}

export const IMAGE_TABLE: ImageProgram[] = [
  {
    match: /(^|\/)skyprobe\/echo(:|@|$)/,
    name: 'skyprobe echo backend',
    entrypoint: (_bin, repo) => [process.execPath, join(repo, 'harness', 'pod-runner', 'echo-server.mjs')],
    aliases: ['/echo'],
  },
  {
    match: /(^|\/)gateway-api\/echo-basic(:|@|$)/,
    name: 'gateway-api echo-basic',
    entrypoint: (bin) => [bin('echo-basic')],
    aliases: ['/echo-basic'],
  },
  {
    match:
      /(^|\/)(jetstack\/cert-manager-acmesolver|cert-manager\/cert-manager-acmesolver|skyprobe\/acmesolver)(:|@|$)/,
    name: 'cert-manager acmesolver',
    entrypoint: (bin) => [bin('acmesolver')],
    aliases: ['/app/cmd/acmesolver/acmesolver', '/acmesolver'],
  },
  {
    match: /(^|\/)coredns\/coredns(:|@|$)/,
    name: 'CoreDNS',
    entrypoint: (bin) => [bin('coredns')],
    aliases: ['/coredns'],
  },
  {
    // A shell toolbox: the container's command runs with the machine's own tools (sh, sleep, curl).
    match: /(^|\/)(busybox|skyprobe\/toolbox)(:|@|$)/,
    name: 'toolbox',
    entrypoint: () => ['/bin/sh'],
    aliases: ['/bin/sh', 'sh'],
  },
];

export function programFor(image: string): ImageProgram | undefined {
  return IMAGE_TABLE.find((p) => p.match.test(image));
}

/** The argv a container runs: Kubernetes semantics (command replaces the entrypoint, args the default args). */
export function containerArgv(
  prog: ImageProgram,
  container: { command?: string[]; args?: string[] },
  bin: (name: string) => string,
  repo: string,
): string[] {
  const entry = prog.entrypoint(bin, repo);
  let head = entry;
  if (container.command && container.command.length > 0) {
    const [first, ...rest] = container.command;
    head = prog.aliases.includes(first as string) ? [...entry, ...rest] : container.command;
  }
  return [...head, ...(container.args ?? [])];
}
