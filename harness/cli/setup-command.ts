/**
 * `skyprobe setup [--check]`: prints progress on stderr and a table of components on stdout; --check shows every
 * pinned thing (setup-check.ts) and exits 1 naming what is missing or not as pinned.
 */
import type { Command } from 'commander';
import { type Progress, formatElapsed, streamProgress } from '../log.ts';
import { repoRoot } from '../paths.ts';
import type { SetupResult } from '../setup/setup.ts';

function table(result: SetupResult): string {
  const rows = result.components.map((c) => [
    c.name,
    c.pinned,
    c.state,
    c.verified.map((v) => `${v.binary}: ${v.evidence}`).join(' | ') || c.detail || '',
  ]);
  const head = ['component', 'pinned', 'state', 'verified'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('build or verify the pinned components (idempotent; fast when warm)')
    .option(
      '--check',
      'show every pinned thing and verify it now (version commands, dpkg); build nothing; exit 1 if any is off',
    )
    .option('--rebuild', 'build every selected component again, even when cached')
    .option('--only <names>', 'only these components (comma-separated names from fixtures/components.yaml)')
    .option('--json', 'print the result as JSON on stdout')
    .option(
      '--kind',
      'also what the kind provider needs: kind, kubelet, kubeadm, Pebble, the images and the node image',
    )
    .option('--kind-if-engine', 'as --kind, but the images only where a Docker engine answers (npm test)')
    .option('--engine', "with --kind: start skyprobe's own Docker engine (dockerd in a network namespace of its own)")
    .option('--engine-stop', "stop skyprobe's own Docker engine, its containers and namespace; restore host sysctls")
    .action(
      async (opts: {
        check?: boolean;
        rebuild?: boolean;
        only?: string;
        json?: boolean;
        kind?: boolean;
        kindIfEngine?: boolean;
        engine?: boolean;
        engineStop?: boolean;
      }) => {
        // Loaded when the verb runs, as every verb's modules (lab-command.ts).
        const { checkSetup, setup } = await import('../setup/setup.ts');
        const engineCommand = async (action: 'start' | 'stop', progress: Progress) =>
          (await import('../setup/kind/engine-command.ts')).engineCommand(action, progress);
        // --engine alone starts the engine (its packages installed before); with --kind, once setup has installed
        // them, between the Go components and the images.
        if (opts.engineStop || (opts.engine && !opts.kind)) {
          const progress = streamProgress(process.stderr);
          try {
            await engineCommand(opts.engineStop ? 'stop' : 'start', progress);
          } finally {
            progress.close();
          }
          return;
        }
        const only = opts.only
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (opts.check) {
          const [res, { checkTables }] = await Promise.all([
            checkSetup({ repoRoot: repoRoot(), only, kind: opts.kind }),
            import('./setup-check.ts'),
          ]);
          process.stdout.write(opts.json ? `${JSON.stringify(res, null, 2)}\n` : `${checkTables(res, table(res))}\n`);
          if (!res.ok) {
            // A check that failed (exit 1), naming each thing that is missing or not as pinned.
            process.stderr.write(
              `error: not as pinned: ${res.problems.join('; ')}\n  hint: run: npx skyprobe setup (as root for Debian packages)\n`,
            );
            process.exitCode = 1;
          }
          return;
        }
        const progress = streamProgress(process.stderr);
        try {
          const kind = opts.kind ? true : opts.kindIfEngine ? ('if-engine' as const) : false;
          const res = await setup({
            repoRoot: repoRoot(),
            only,
            rebuild: opts.rebuild,
            progress,
            kind,
            startEngine: opts.engine ? () => engineCommand('start', progress) : undefined,
          });
          process.stdout.write(opts.json ? `${JSON.stringify(res, null, 2)}\n` : `${table(res)}\n`);
          if (!opts.json && res.kind)
            process.stdout.write(
              `${res.kind.engine}: ${res.kind.images.length} images (${res.kind.images.filter((i) => i.state === 'built').length} built), node image ${res.kind.nodeImage.name} ${res.kind.nodeImage.state}\n`,
            );
          const built = res.components.filter((c) => c.state === 'built').length;
          process.stderr.write(
            `setup: ${built === 0 ? 'nothing to build' : `${built} built`}, ${res.components.length} components ready (${formatElapsed(res.elapsedMs)})\n`,
          );
        } finally {
          progress.close();
        }
      },
    );
}
