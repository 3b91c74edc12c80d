/**
 * Whether the kind provider can run here: Docker's daemon answers, kind is on PATH at the pinned release, and
 * kubectl is on PATH. Read-only commands only. The answer is a problem and its fix, shown as one line.
 */
import type { Runner } from '../../exec/runner.ts';
import type { KindPins } from '../../setup/kind-pins.ts';
import { TIMEOUTS } from '../../timeouts.ts';

export interface Unavailable {
  problem: string;
  fix: string;
}

export const oneLine = (u: Unavailable): string => `${u.problem}; ${u.fix}`;

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '(no output)'
  );
}

const minor = (v: string) => v.split('.').slice(0, 2).join('.');

export function installKind(version: string): string {
  return `install kind ${version}: go install sigs.k8s.io/kind@${version}, or https://kind.sigs.k8s.io/dl/${version}/kind-linux-amd64 on PATH`;
}

/** Why the provider cannot run, or undefined when it can. */
export async function kindUnavailable(run: Runner, pins: KindPins): Promise<Unavailable | undefined> {
  const docker = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: TIMEOUTS.dockerInfo });
  if (docker.notFound)
    return {
      problem: 'docker info failed: docker is not on PATH',
      fix: 'install Docker Engine (kind runs its nodes, Pebble and CoreDNS as containers)',
    };
  if (docker.exitCode !== 0)
    return {
      problem: `docker info failed: ${firstLine(docker.output)}`,
      fix: 'start the Docker daemon or give this user access to its socket',
    };
  const kind = await run('kind', ['version'], { timeoutMs: TIMEOUTS.toolVersion });
  if (kind.notFound) return { problem: 'kind is not on PATH', fix: installKind(pins.version) };
  const found = /\bv\d+\.\d+\.\d+\S*/.exec(kind.output)?.[0];
  if (kind.exitCode !== 0 || !found)
    return { problem: `kind version failed: ${firstLine(kind.output)}`, fix: installKind(pins.version) };
  // kind supports a node image only with the release that built it (kind's release notes): the minor must match.
  if (minor(found) !== minor(pins.version))
    return {
      problem: `kind ${found} is not the pinned ${pins.version} (the pinned node image is built for it)`,
      fix: installKind(pins.version),
    };
  const kubectl = await run('kubectl', ['version', '--client'], { timeoutMs: TIMEOUTS.toolVersion });
  const kube = /:(v\d+\.\d+)\./.exec(pins.nodeImage)?.[1] ?? 'matching the node image';
  if (kubectl.notFound || kubectl.exitCode !== 0)
    return {
      problem: 'kubectl is not on PATH',
      fix: `install kubectl ${kube} (https://kubernetes.io/docs/tasks/tools/)`,
    };
  return undefined;
}
