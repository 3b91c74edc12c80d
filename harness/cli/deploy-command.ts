/** `skyprobe deploy FILE [--routing current|target] [--delete]`: apply an app fixture to the running lab. */
import { type Command, Option } from 'commander';
import { SkyprobeError } from '../errors.ts';
import { readAppFixture } from './app-fixture-file.ts';
import { LAYOUTS, type Layout } from '../stack/layout.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('apply an app fixture as Satusky would, to the running lab')
    .argument('<file>', 'an app fixture (fixtures/apps/*.yaml)')
    .addOption(
      new Option('--routing <mode>', 'current: Ingress for custom domains; target: Gateway API for all')
        .choices(ROUTINGS)
        .default('current'),
    )
    .addOption(
      new Option(
        '--layout <layout>',
        "how HTTPS hosts go on the edge: one Gateway, Gateway shards of 64 listeners, or a ListenerSet per app (default: the lab's, see lab up --layout)",
      ).choices(LAYOUTS),
    )
    .option('--delete', 'remove the app instead: its objects, Gateway listeners, DNS record and metadata')
    .option(
      '--renderer <cmd>',
      "deploy what CMD prints for the app (skyprobe.renderer/v1: the app as JSON on stdin; docs/renderer-contract.md) instead of the built-in renderer's output",
    )
    .action(async (file: string, opts: { routing: Routing; layout?: Layout; delete?: boolean; renderer?: string }) => {
      const app = await readAppFixture(file);
      // The project config's renderer (skyprobe.yaml), unless --renderer names one: read before anything is done.
      const renderer = opts.delete ? undefined : (await import('./project-config.ts')).rendererFor(opts.renderer);
      const [{ clientsFor }, { requireLab }, { deployTarget }, { deleteApp, deployApp }] = await Promise.all([
        import('../k8s/client.ts'),
        import('../providers/embedded/live-lab.ts'),
        import('../providers/embedded/stack.ts'),
        import('../stack/deploy.ts'),
      ]);
      const lab = requireLab();
      if (!lab.stack)
        throw new SkyprobeError(`lab ${lab.id} runs without the routing stack`, {
          hint: 'restart it with the stack: skyprobe lab down && skyprobe lab up --keep',
        });
      const target = deployTarget(lab, clientsFor(lab.kubeconfig));
      if (opts.layout) target.layout = opts.layout;
      if (opts.delete) {
        await deleteApp(target, app, opts.routing);
        process.stderr.write(`deleted ${app.org}/${app.app}\n`);
        return;
      }
      const rendered = renderer
        ? await (
            await import('../stack/external-renderer.ts')
          ).runRenderer(renderer, app, opts.routing, (await import('../exec/runner.ts')).execRunner)
        : undefined;
      const meta = await deployApp(target, app, opts.routing, { rendered });
      process.stderr.write(`deployed ${meta.deployment} (${opts.routing} routing, ${meta.layout} layout)\n`);
      for (const h of meta.hosts)
        process.stdout.write(
          `${h.host}\t${h.kind}\t${h.route.kind} ${h.route.namespace}/${h.route.name}\tTLS secret ${h.tlsSecret.namespace}/${h.tlsSecret.name}\n`,
        );
    });
}
