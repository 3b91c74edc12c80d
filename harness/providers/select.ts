/**
 * The provider a run asked for, by name: one switch, so that adding a backend touches one file here (and, for its
 * scenario environment, one env file and one line of the map in the scenario layer's envs folder).
 */
import { SkyprobeError } from '../errors.ts';
import { embeddedProvider } from './embedded/embedded-provider.ts';
import { existingProvider } from './existing/existing-provider.ts';
import { kindProvider } from './kind/kind-provider.ts';
import { type ClusterProvider, PROVIDERS, type ProviderName } from './provider.ts';

export function providerFor(name: string, o: { kubeconfig?: string; runId: string }): ClusterProvider {
  if (!PROVIDERS.includes(name as ProviderName))
    throw new SkyprobeError(`unknown provider "${name}"`, { hint: `choose from: ${PROVIDERS.join(', ')}` });
  if (o.kubeconfig && name !== 'existing')
    throw new SkyprobeError(`--kubeconfig is for --provider existing, not ${name}`, {
      hint: 'the embedded and kind providers make their own cluster',
    });
  if (name === 'existing') return existingProvider({ kubeconfig: o.kubeconfig, runId: o.runId });
  if (name === 'kind') return kindProvider();
  return embeddedProvider();
}
