/** The layout a run's deploys use: the one asked for, else the embedded lab's (lab up --layout), else the default. */
import type { ClusterHandle } from '../providers/provider.ts';
import { liveLab } from '../providers/embedded/live-lab.ts';
import { layoutFor } from '../providers/embedded/lab-layout.ts';
import { DEFAULT_LAYOUT, type Layout } from '../stack/layout.ts';

export function runLayout(cluster: Pick<ClusterHandle, 'provider'>, asked?: Layout): Layout {
  if (asked) return asked;
  const lab = cluster.provider === 'embedded' ? liveLab() : undefined;
  return lab ? layoutFor(lab.dir, undefined, {}) : DEFAULT_LAYOUT;
}
