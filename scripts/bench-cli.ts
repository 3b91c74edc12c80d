/**
 * The CLI-start case of npm run bench: whole commands, as a user runs them (node's start, loading, the verb, exit).
 *   `skyprobe --help`; `skyprobe lab up --keep` (the lab with the routing stack, until the command exits; its step
 *   lines give each step's time); `skyprobe domains check HOST` for one healthy host (pop deployed with
 *   `skyprobe deploy`, and its four facts and endpoint passing first); `skyprobe lab down`. Each run brings its own
 *   lab up and takes it down; nothing is left running.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { waitUntil } from '../harness/converge.ts';
import { repoRoot } from '../harness/paths.ts';
import { POLL, TIMEOUTS } from '../harness/timeouts.ts';

export interface Figure {
  runs: number[];
  median: number;
}

export interface CliBench {
  /** dist/ was fresh, so the compiled harness ran (bin/compiled.mjs), or the TypeScript through tsx. */
  compiled: boolean;
  helpMs: Figure;
  labUpCommandMs: Figure;
  /** Each step of lab up as the command printed it, median over the runs. */
  labUpStepsMs: Record<string, Figure>;
  domainsCheckCommandMs: Figure;
  labDownCommandMs: Figure;
  host: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const figure = (runs: number[]): Figure => ({ runs, median: median(runs) });

/** `✓ lab: <step> (1.2s)` or `(850ms)` lines of a lab up's stderr, as step -> ms. */
export function stepTimes(stderr: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of stderr.matchAll(/^\[[^\]]*\] ✓ lab: (.+) \((\d+(?:\.\d+)?)(ms|s)\)$/gm))
    out.set(m[1] as string, Math.round(Number(m[2]) * (m[3] === 's' ? 1000 : 1)));
  return out;
}

async function timed(bin: string, args: string[]) {
  const t0 = Date.now();
  const r = await execa('node', [bin, ...args], { reject: false, env: { NO_COLOR: '1' } });
  return { r, ms: Date.now() - t0 };
}

export async function benchCli(o: { bin: string; runs: number; log: (line: string) => void }): Promise<CliBench> {
  const { buildState } = await import('../bin/compiled.mjs');
  const compiled = buildState().fresh;
  if (!compiled) o.log(`note: ${(buildState() as { reason: string }).reason}: these are the TypeScript's times`);
  const help: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const { r, ms } = await timed(o.bin, ['--help']);
    if (r.exitCode !== 0) throw new Error(`skyprobe --help: exit ${r.exitCode}`);
    help.push(ms);
  }
  o.log(`skyprobe --help: ${help.join(', ')} ms`);
  const up: number[] = [];
  const steps = new Map<string, number[]>();
  const check: number[] = [];
  const down: number[] = [];
  let host = '';
  for (let i = 0; i < o.runs; i++) {
    const u = await timed(o.bin, ['lab', 'up', '--keep']);
    if (u.r.exitCode !== 0) throw new Error(`skyprobe lab up --keep: exit ${u.r.exitCode}\n${u.r.stderr}`);
    up.push(u.ms);
    for (const [step, ms] of stepTimes(u.r.stderr)) steps.set(step, [...(steps.get(step) ?? []), ms]);
    try {
      const d = await timed(o.bin, ['deploy', join(repoRoot(), 'fixtures', 'apps', 'pop.yaml')]);
      host = /^(\S+\.satusky\.com)\t/m.exec(d.r.stdout)?.[1] ?? '';
      if (d.r.exitCode !== 0 || !host) throw new Error(`skyprobe deploy fixtures/apps/pop.yaml: ${d.r.stderr}`);
      // Healthy first: the four facts and the endpoint pass (exit 0), so the figure is a healthy host's.
      await waitUntil(
        `${host} healthy (skyprobe domains check exit 0)`,
        async () => (await timed(o.bin, ['domains', 'check', host])).r.exitCode === 0,
        { timeoutMs: TIMEOUTS.endpointReady, intervalMs: POLL.slow },
      );
      const c = await timed(o.bin, ['domains', 'check', host]);
      if (c.r.exitCode !== 0) throw new Error(`skyprobe domains check ${host}: exit ${c.r.exitCode}\n${c.r.stdout}`);
      check.push(c.ms);
    } finally {
      const d = await timed(o.bin, ['lab', 'down']);
      down.push(d.ms);
    }
    o.log(
      `run ${i + 1}: lab up --keep ${u.ms} ms, domains check ${host} ${check.at(-1)} ms, lab down ${down.at(-1)} ms`,
    );
  }
  return {
    compiled,
    helpMs: figure(help),
    labUpCommandMs: figure(up),
    labUpStepsMs: Object.fromEntries([...steps].map(([k, v]) => [k, figure(v)])),
    domainsCheckCommandMs: figure(check),
    labDownCommandMs: figure(down),
    host,
  };
}
