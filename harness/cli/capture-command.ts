/**
 * `skyprobe capture HOST... -o BUNDLE`: what `domains check` reads for these hosts, with its result, in one file
 * (skyprobe.capture/v1; harness/capture/) that `skyprobe lab replay` rebuilds in a lab. Read-only (get/list), like
 * `domains check`, with the same flags for where to look. No Secret data is ever written: Secrets by name and
 * type, a TLS Secret's certificate by its public fields; credential-looking values are redacted and listed.
 */
import type { Command } from 'commander';
import type { DomainsCheckOptions } from '../facts/target.ts';
import { addFactTargetFlags } from './fact-flags.ts';

type CaptureOptions = DomainsCheckOptions & { output: string; edge?: string[] };

export function registerCapture(program: Command): void {
  addFactTargetFlags(program.command('capture'))
    .description(
      'save what domains check reads for these hosts (objects, public DNS, served certificate, result) to replay in a lab',
    )
    .argument('<host...>', 'hostnames to capture')
    .requiredOption('-o, --output <file>', 'the bundle to write (JSON, schema skyprobe.capture/v1)')
    .option(
      '--edge <ip>',
      "the edge's address(es) (repeat): DNS answers pointing there become the lab's load balancer on replay; default: Gateway/Ingress status",
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .addHelpText(
      'after',
      "\nNo Secret data is captured: Secrets appear by name and type, TLS Secrets by their certificate's public fields;\nvalues that look like credentials are redacted and listed in the bundle.\nExit codes: 0 written, 2 bad input (an unknown host, unreachable cluster, bad flags).\nExample: skyprobe capture shop.example.com --kubeconfig prod.yaml -o shop.capture.json\n         skyprobe lab up --keep && skyprobe lab replay shop.capture.json",
    )
    .action(async (hosts: string[], opts: CaptureOptions) => {
      const [{ execRunner }, { factTarget, parseHost }, { labFactSite }, { capture }, { writeBundle }] =
        await Promise.all([
          import('../exec/runner.ts'),
          import('../facts/target.ts'),
          import('../providers/embedded/fact-site.ts'),
          import('../capture/capture.ts'),
          import('../capture/bundle.ts'),
        ]);
      const names = [...new Set(hosts.map(parseHost))];
      const edge = opts.edge && opts.edge.length > 0 ? opts.edge : undefined;
      const site = labFactSite();
      const target = await factTarget({ ...opts, edge }, execRunner, site);
      const bundle = await capture(target, names, opts.kubeconfig ?? (site?.kubeconfig as string));
      writeBundle(opts.output, bundle);
      process.stdout.write(
        `captured ${bundle.hosts.length} host(s): ${bundle.objects.length} objects, ${bundle.secrets.length} Secret(s) by name only, ${bundle.redactions.length} redaction(s) -> ${opts.output}\n`,
      );
    });
}
