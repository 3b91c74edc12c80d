/**
 * Removing a kind run, as data and its execution: the cluster with `kind delete cluster` (kind finds its nodes
 * by its own label), then every container carrying the run's label, then the Docker network `kind create` made for
 * it (when the run made it; kind's delete leaves it) unless a container still uses it. All are idempotent, so
 * teardown can run after a partial `up`, twice, or for a run whose harness was killed.
 */
import { shellQuote } from '../../errors.ts';
import type { Runner } from '../../exec/runner.ts';
import { RUN_LABEL, clusterName } from './names.ts';
import { runChecked } from '../../exec/checked.ts';
import { TIMEOUTS } from '../../timeouts.ts';

export interface TeardownStep {
  name: string;
  argv: string[];
  /** Run this argv with every line of the first command's output appended (container ids), if there are any. */
  forEachLine?: string[];
  /** Run this argv when the first command printed exactly this (and do nothing else otherwise). */
  ifOutput?: { is: string; argv: string[] };
  /** The first command failing is no teardown failure (what it asks about may be gone already). */
  tolerant?: boolean;
}

/**
 * `kubeconfig` is the run's own file: kind then edits that one, never the user's ~/.kube/config. `madeNetwork`: the
 * Docker network that did not exist before this run's `kind create`.
 */
export function teardownPlan(id: string, kubeconfig: string, madeNetwork?: string): TeardownStep[] {
  const network: TeardownStep[] = madeNetwork
    ? [
        {
          name: `remove network ${madeNetwork} (made by this run) unless a container uses it`,
          argv: ['docker', 'network', 'inspect', '--format', '{{len .Containers}}', madeNetwork],
          ifOutput: { is: '0', argv: ['docker', 'network', 'rm', madeNetwork] },
          tolerant: true,
        },
      ]
    : [];
  return [
    {
      name: `delete kind cluster ${clusterName(id)}`,
      argv: ['kind', 'delete', 'cluster', '--name', clusterName(id), '--kubeconfig', kubeconfig],
    },
    {
      name: `remove containers labelled ${RUN_LABEL}=${id}`,
      argv: ['docker', 'ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${id}`],
      forEachLine: ['docker', 'rm', '--force', '--volumes'],
    },
    ...network,
  ];
}

/** The plan as commands a person can paste, for what a kept run leaves behind. */
export function teardownByHand(id: string, kubeconfig: string, madeNetwork?: string): string {
  return teardownPlan(id, kubeconfig, madeNetwork)
    .map((s) =>
      s.forEachLine
        ? `${shellQuote(s.argv)} | xargs -r ${shellQuote(s.forEachLine)}`
        : s.ifOutput
          ? `{ ${shellQuote(s.ifOutput.argv)} || true; }`
          : shellQuote(s.argv),
    )
    .join(' && ');
}

const runOne = (run: Runner, argv: string[], what: string, logFile?: string): Promise<string> =>
  runChecked(run, argv, {
    what,
    timeoutMs: TIMEOUTS.kindTeardown,
    logFile,
    hint: (res) =>
      res.notFound
        ? `${argv[0]} is not on PATH: remove the rest by hand with the command above`
        : 'run the command above by hand',
  });

/** Execute every step; one failing step does not stop the others. The first failure is thrown at the end. */
export async function runTeardown(run: Runner, plan: TeardownStep[], logFile?: string): Promise<void> {
  let first: unknown;
  for (const step of plan) {
    try {
      const out = await runOne(run, step.argv, step.name, logFile).catch((err: unknown) => {
        if (step.tolerant) return undefined;
        throw err;
      });
      if (out === undefined) continue;
      if (step.ifOutput) {
        if (out.trim() === step.ifOutput.is)
          await runOne(run, step.ifOutput.argv, step.name, logFile).catch((err: unknown) => {
            if (!step.tolerant) throw err;
          });
        continue;
      }
      const ids = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[0-9a-f]{6,64}$/.test(l));
      if (step.forEachLine && ids.length > 0) await runOne(run, [...step.forEachLine, ...ids], step.name, logFile);
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
