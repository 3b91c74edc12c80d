/**
 * The renderer contract's own kinds as CustomResourceDefinitions (group renderer.skyprobe.dev, namespaced in the
 * app's org), installed by the lab's stack, so that a renderer's output can be applied as it is (`skyprobe render
 * FILE | kubectl apply -f -`): GatewayListener, DNSRecord and AppRecord. The platform's automation
 * (harness/automation/, reconcile.ts) watches them and does for each what `skyprobe deploy` does: the listener on
 * the edge's Gateway, the record in Satusky's zone, the platform's metadata record. Each object gets a `Ready`
 * condition (so `kubectl wait --for=condition=Ready` works) and a finalizer, so that `kubectl delete -f` of the
 * same output removes what the automation made for it.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export const CONTRACT_GROUP = 'renderer.skyprobe.dev';
/** The finalizer the automation puts on each contract object it has acted on. */
export const AUTOMATION_FINALIZER = `${CONTRACT_GROUP}/automation`;
/** The field manager under which the automation server-side-applies its listeners into the edge's Gateways. */
export const AUTOMATION_MANAGER = 'satusky-automation';

/** The contract kinds: kind -> plural. */
export const CONTRACT_KINDS = { GatewayListener: 'gatewaylisteners', DNSRecord: 'dnsrecords', AppRecord: 'apprecords' };
export type ContractKind = keyof typeof CONTRACT_KINDS;

function crd(kind: ContractKind, shortDescription: string): KubernetesObject {
  const plural = CONTRACT_KINDS[kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${CONTRACT_GROUP}`, annotations: { 'renderer.skyprobe.dev/about': shortDescription } },
    spec: {
      group: CONTRACT_GROUP,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  } as KubernetesObject;
}

/** The three CRDs, applied by the lab's stack with the other components' CRDs. */
export function contractCrds(): KubernetesObject[] {
  return [
    crd('GatewayListener', "a listener the app needs on the edge's shared Gateway"),
    crd('DNSRecord', "a record the platform's automation publishes in Satusky's zone"),
    crd('AppRecord', "the platform's record of a deployed app (the metadata fact)"),
  ];
}
