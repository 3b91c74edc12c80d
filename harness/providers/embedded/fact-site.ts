/**
 * The embedded lab as a place to check domains (facts/target.ts FactSite, plain data): its API server, and with
 * the routing stack its platform records, its public DNS, Pebble's root, and its internet host, from whose
 * namespace the probes run (the root namespace does not route the lab's internet-side ranges).
 */
import type { FactSite, FactSources } from '../../facts/target.ts';
import { PUBLIC_DNS_IP, SEGMENTS } from './address-plan.ts';
import { liveLab } from './live-lab.ts';
import { stackPaths } from './stack-paths.ts';
import type { LabState } from './state.ts';

/** What a user of a lab with the routing stack resolves and trusts, and where they stand. */
export function labFactSources(lab: LabState): FactSources {
  const paths = stackPaths(lab.dir);
  return {
    metadataDir: paths.metadata,
    publicResolver: PUBLIC_DNS_IP,
    trustRoot: paths.pebbleRoot,
    netns: lab.hosts.internet?.netns,
    internetRanges: [SEGMENTS.internet.cidr, SEGMENTS.lb.cidr],
  };
}

/** The running lab (default) as a FactSite; none when no lab is up. */
export function labFactSite(lab: LabState | undefined = liveLab()): FactSite | undefined {
  if (!lab) return undefined;
  return { kubeconfig: lab.kubeconfig, apiServer: lab.apiServer, sources: lab.stack ? labFactSources(lab) : undefined };
}
