/**
 * `skyprobe render FILE [--routing current|target]`: the built-in renderer's output under the renderer contract
 * (skyprobe.renderer/v1, docs/renderer-contract.md): the reference anyone can diff a backend against. `--input`
 * prints what a renderer is given instead (the app as JSON), to pipe into one.
 */
import { type Command, Option } from 'commander';
import { readAppFixture } from './app-fixture-file.ts';
import { ROUTINGS, type Routing } from '../stack/routing.ts';

export function registerRender(program: Command): void {
  program
    .command('render')
    .description(
      "print what the built-in renderer makes of an app fixture (skyprobe.renderer/v1), the reference for a backend's",
    )
    .argument('<file>', 'an app fixture (fixtures/apps/*.yaml)')
    .addOption(new Option('--routing <mode>', 'current or target routing').choices(ROUTINGS).default('current'))
    .addOption(new Option('--format <f>', 'a YAML stream or a JSON list').choices(['yaml', 'json']).default('yaml'))
    .option('--input', "print the renderer's input for this app (JSON) instead of its output")
    .addHelpText(
      'after',
      '\nExample: skyprobe render fixtures/apps/shop.yaml --routing target\n         skyprobe render fixtures/apps/shop.yaml --input | ./my-renderer | diff - <(skyprobe render fixtures/apps/shop.yaml)',
    )
    .action(async (file: string, opts: { routing: Routing; format: 'yaml' | 'json'; input?: boolean }) => {
      const app = await readAppFixture(file);
      const [{ render }, { contractItems, rendererInput }, { stringify }] = await Promise.all([
        import('../stack/render.ts'),
        import('../stack/renderer-contract.ts'),
        import('yaml'),
      ]);
      if (opts.input) {
        process.stdout.write(`${JSON.stringify(rendererInput(app, opts.routing), null, 2)}\n`);
        return;
      }
      const items = contractItems(render(app, opts.routing), app, opts.routing);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(items, null, 2)}\n`
          : items.map((o) => `---\n${stringify(o, { aliasDuplicateObjects: false })}`).join(''),
      );
    });
}
