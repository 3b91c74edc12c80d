/**
 * `skyprobe domains check HOST...|--all`: the four facts per host (metadata, routing, DNS, TLS), the endpoint (what
 * a user gets over HTTP and HTTPS), and the workload apart, then a summary; --all checks every routed host
 * (harness/facts/hosts.ts), at most --concurrency at once. Exit 0 every fact and the endpoint pass; 1 one failed or
 * could not be established; 3 nothing failed but something is pending; 2 bad input.
 */
import type { Command } from 'commander';
import type { DomainsCheckOptions } from '../facts/target.ts';
import { DEFAULT_CONCURRENCY, parseConcurrency } from '../facts/each-host.ts';
import { addFactTargetFlags } from './fact-flags.ts';

type DomainsOptions = DomainsCheckOptions & {
  edge?: string[];
  json?: boolean;
  all?: boolean;
  namespace?: string;
  concurrency: number;
};

export function registerDomains(domains: Command): void {
  addFactTargetFlags(domains.command('check'))
    .description(
      'report the four facts (metadata, routing, DNS, TLS) and the endpoint per hostname (or every routed host), and workload readiness apart',
    )
    .argument('[host...]', 'hostnames to check (or --all)')
    .option('--all', 'check every host that an HTTPRoute or Ingress claims or that the metadata lists')
    .option('--namespace <ns>', 'with --all: only the routes and Ingresses of NS and the records of its deployments')
    .option('--concurrency <n>', 'hosts probed at once', parseConcurrency, DEFAULT_CONCURRENCY)
    .option(
      '--edge <ip>',
      'address(es) the host must resolve to and TLS is probed at (repeat); default: Gateway/Ingress status',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--path <path>', "the endpoint's request path: the app's own health path; default: /")
    .option(
      '--expect-status <n>',
      'the status the app must answer on --path; default: any 2xx or 3xx (a redirect is recorded, never followed)',
    )
    .option('--json', 'print the result as JSON (schema skyprobe.domains/v1)')
    .addHelpText(
      'after',
      '\nExit codes: 0 every fact and the endpoint pass, 1 one failed or is unknown, 3 something is pending, 2 bad input.\nExample: skyprobe domains check shop.example.com www.shop.example.com\n         skyprobe domains check --all --namespace org-acme',
    )
    .action(async (hosts: string[], opts: DomainsOptions) => {
      // Loaded when the verb runs (the Kubernetes client, execa, the lab's modules), so that other verbs start fast.
      const [
        { execRunner },
        { exitCodeOf },
        { renderTable },
        { progressLine },
        { checkDomains },
        { factTarget, parseHost },
        { hostSelection },
        { labFactSite },
      ] = await Promise.all([
        import('../exec/runner.ts'),
        import('../facts/fact.ts'),
        import('../facts/render-table.ts'),
        import('../facts/progress-line.ts'),
        import('../facts/check.ts'),
        import('../facts/target.ts'),
        import('../facts/hosts.ts'),
        import('../providers/embedded/fact-site.ts'),
      ]);
      const selection = hostSelection(hosts, opts, parseHost);
      // The running lab, if any, is where a check without --kubeconfig (or with the lab's own) looks from.
      const edge = opts.edge && opts.edge.length > 0 ? opts.edge : undefined;
      const target = await factTarget({ ...opts, edge }, execRunner, labFactSite());
      const progress = !opts.json && process.stderr.isTTY ? progressLine(process.stderr) : undefined;
      const report = await checkDomains(target, selection, {
        concurrency: opts.concurrency,
        onProgress: progress && ((done, total) => progress.update(done, total)),
      }).finally(() => progress?.end());
      process.stdout.write(
        opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, process.stdout.isTTY === true),
      );
      process.exitCode = exitCodeOf(report.hosts);
    });
}
