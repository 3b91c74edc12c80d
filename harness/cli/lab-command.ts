/** `skyprobe lab up|down|status|kubeconfig|exec`. */
import { spawnSync } from 'node:child_process';
import { type Command, Option } from 'commander';
import { SkyprobeError } from '../errors.ts';
import { formatElapsed, streamProgress } from '../log.ts';
import { MAX_NODES, netnsName } from '../providers/embedded/address-plan.ts';
import { DEFAULT_ISSUANCE, type Issuance, ISSUANCES } from '../stack/issuance.ts';
import { DEFAULT_LAYOUT, LAYOUTS, type Layout } from '../stack/layout.ts';

/**
 * The lab's machinery, loaded when a verb runs: it pulls in the Kubernetes client and execa (about 0.5 s), which
 * --help and the other verbs need not pay. Every verb does the same: its action imports what it uses, and this
 * folder's modules import only commander and modules that import nothing heavy (harness/cli/start.test.ts).
 */
const labModule = async () => {
  const [lab, { execRunner }] = await Promise.all([
    import('../providers/embedded/lab.ts'),
    import('../exec/runner.ts'),
  ]);
  return { ...lab, execRunner };
};

function parseNodes(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > MAX_NODES)
    throw new SkyprobeError(`--nodes must be a whole number from 1 to ${MAX_NODES}, not "${v}"`);
  return n;
}

export function registerLab(lab: Command): void {
  lab
    .command('up')
    .description(
      'bring the lab up: control plane, nodes, pod runner, cluster DNS (foreground until Ctrl-C unless --keep)',
    )
    .option('--nodes <n>', `number of nodes, 1 to ${MAX_NODES}`, '2')
    .option('--no-stack', 'skip the Satusky routing stack (edge, load balancer, DNS, ACME)')
    .addOption(
      new Option(
        '--issuance <profile>',
        "HTTP-01 issuance: fast (no cert-manager self-check; Pebble validates) or faithful (the platform's self-check)",
      )
        .choices(ISSUANCES)
        .default(DEFAULT_ISSUANCE.embedded),
    )
    .addOption(
      new Option(
        '--layout <layout>',
        'how deploys put HTTPS hosts on the edge: listener-per-host (one Gateway, 64 listeners), sharded (Gateways of 64 listeners), listenerset (a ListenerSet per app)',
      )
        .choices(LAYOUTS)
        .default(DEFAULT_LAYOUT),
    )
    .option('--keep', 'return once the lab is up and leave it running (stop it with skyprobe lab down)')
    .option('--retain', 'when a step fails, keep what was created, for debugging (default: remove it)')
    .action(
      async (opts: {
        nodes: string;
        keep?: boolean;
        retain?: boolean;
        stack: boolean;
        issuance: Issuance;
        layout: Layout;
      }) => {
        const nodes = parseNodes(opts.nodes);
        const { execRunner, labDown, labUp } = await labModule();
        const progress = streamProgress(process.stderr);
        const t0 = Date.now();
        try {
          const state = await labUp({
            nodes,
            run: execRunner,
            progress,
            keepOnFailure: opts.retain,
            stack: opts.stack,
            issuance: opts.issuance,
          });
          (await import('../providers/embedded/lab-layout.ts')).setLabLayout(state.dir, opts.layout);
          process.stderr.write(
            `lab ${state.id} is up (${formatElapsed(Date.now() - t0)}): ${nodes} nodes, apiserver ${state.apiServer}, ${opts.layout} layout\n`,
          );
          process.stderr.write(`  kubectl --kubeconfig ${state.kubeconfig} get nodes\n`);
          process.stdout.write(`${state.kubeconfig}\n`);
        } finally {
          progress.close();
        }
        if (opts.keep) return;
        process.stderr.write('lab running; Ctrl-C stops it and removes everything it created\n');
        const { untilStopSignal, uninterrupted } = await import('./foreground.ts');
        const signal = await untilStopSignal();
        process.stderr.write(`${signal}: removing the lab (a second Ctrl-C does not stop the removal)\n`);
        const t1 = Date.now();
        await uninterrupted(
          async () => {
            // A terminal's Ctrl-C reaches the whole foreground process group, the sweep's own ip and umount
            // commands too: whatever one of them left undone, the next sweep removes (bounded: three at most).
            for (let i = 0; i < 3 && (await labDown(execRunner)).removed > 0; i++);
          },
          (s) => process.stderr.write(`${s}: still removing the lab; it ends by itself\n`),
        );
        process.stderr.write(`lab down (${formatElapsed(Date.now() - t1)})\n`);
      },
    );
  lab
    .command('down')
    .description('stop the lab and remove everything it created (and whatever a killed run left)')
    .action(async () => {
      const { execRunner, labDown } = await labModule();
      const t0 = Date.now();
      const res = await labDown(execRunner);
      process.stderr.write(
        res.id
          ? `lab ${res.id} down (${formatElapsed(Date.now() - t0)})\n`
          : `no lab was running; nothing left (${formatElapsed(Date.now() - t0)})\n`,
      );
    });
  lab
    .command('status')
    .description('components, pids, addresses and log paths of the running lab')
    .option('--json', 'print the lab state as JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = (await labModule()).labStatus();
      if (!s) throw new SkyprobeError('no lab is running', { hint: 'start one: skyprobe lab up --keep' });
      if (opts.json) return void process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      const out = [
        `lab ${s.id}: ${s.status} since ${s.readyAt ?? s.startedAt}; ${s.nodes} nodes; apiserver ${s.apiServer}`,
        `kubeconfig ${s.kubeconfig}`,
        '',
        'hosts:',
      ];
      for (const [role, h] of Object.entries(s.hosts))
        out.push(`  ${role.padEnd(10)} ${h.netns.padEnd(22)} ${h.addresses.join(', ')}`);
      out.push('', 'components:');
      for (const p of s.procs)
        out.push(
          `  ${p.name.padEnd(24)} ${p.alive ? 'running' : 'EXITED '} pid ${String(p.pid).padEnd(8)} ${(p.netns ?? '(root)').padEnd(22)} ${p.log}`,
        );
      process.stdout.write(`${out.join('\n')}\n`);
      if (s.procs.some((p) => !p.alive)) process.exitCode = 1;
    });
  lab
    .command('kubeconfig')
    .description('print the path of the lab kubeconfig (admin)')
    .action(async () => {
      const { requireLab } = await import('../providers/embedded/live-lab.ts');
      process.stdout.write(`${requireLab().kubeconfig}\n`);
    });
  lab
    .command('exec')
    .description('run a command inside one of the lab hosts: skyprobe lab exec node-1 -- ip addr')
    .argument('<netns>', 'a host role (cp, node-1, fabric, cdns, ...) or a full namespace name')
    .argument('<command...>', 'the command and its arguments (after --)')
    .action(async (host: string, command: string[]) => {
      const { requireLab, requireRoot } = await labModule();
      requireRoot();
      const s = requireLab();
      const ns = host.startsWith('sky-') ? host : netnsName(s.id, host);
      if (!host.startsWith('sky-') && !s.hosts[host])
        throw new SkyprobeError(`no lab host "${host}"`, { hint: `choose from: ${Object.keys(s.hosts).join(', ')}` });
      const res = spawnSync('ip', ['netns', 'exec', ns, ...command], { stdio: 'inherit' });
      if (res.error) throw new SkyprobeError(`failed to run ${command[0]} in ${ns}: ${res.error.message}`);
      process.exitCode = res.status ?? 1;
    });
  lab
    .command('replay')
    .description('rebuild the hosts of a capture bundle in the running lab, check them, and compare with the capture')
    .argument('<bundle>', 'a file written by skyprobe capture -o')
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      "\nEvery mapping is printed (the source's Gateway, IngressClass and issuers onto the lab's; workloads onto the\nlab's echo backend; the source edge's addresses onto the lab's load balancer). The hosts are then checked\nuntil their verdicts match the capture (3 in a row, bounded) or the bound passes.\nExit codes: 0 every fact and the endpoint as captured, 1 a difference, 2 bad input (bundle, no lab, no stack).",
    )
    .action(async (file: string, opts: { json?: boolean }) => {
      const [{ execRunner }, { replay }, { renderComparison }] = await Promise.all([
        import('../exec/runner.ts'),
        import('../run/replay.ts'),
        import('../capture/compare.ts'),
      ]);
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const r = await replay(file, execRunner, say);
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ same: r.same, elapsedMs: r.elapsedMs, comparison: r.comparison, mappings: r.plan.mappings }, null, 2)}\n`
          : renderComparison(r.comparison),
      );
      process.exitCode = r.same ? 0 : 1;
    });
}
