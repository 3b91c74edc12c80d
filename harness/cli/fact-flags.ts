/**
 * The flags that say where `domains check` and `capture` look from (facts/target.ts factTarget reads them): the
 * cluster, the platform's records, the public resolver, the trust roots. `--edge` is each verb's own (its help
 * differs).
 */
import type { Command } from 'commander';

export function addFactTargetFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'cluster to read (read-only: get/list); default: the running lab')
    .option(
      '--metadata <file|url>',
      "the platform's records: a YAML/JSON file or a URL returning JSON; default: the lab's",
    )
    .option(
      '--resolver <addr>',
      "public resolver to ask (ADDR or ADDR:PORT); default: the lab's public DNS, or /etc/resolv.conf's",
    )
    .option('--ca <file>', "PEM roots a served chain must lead to; default: the lab's ACME root, or the system bundle");
}
