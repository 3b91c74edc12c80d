/** Kubernetes clients for a kubeconfig (harness, pod runner, probes). */
import * as k8s from '@kubernetes/client-node';

export interface Clients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  discovery: k8s.DiscoveryV1Api;
  objects: k8s.KubernetesObjectApi;
}

export function clientsFor(kubeconfigPath: string): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
  };
}

/** HTTP status of an API error, if it is one. */
export function apiStatus(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number; response?: { statusCode?: number } };
  return e?.code ?? e?.statusCode ?? e?.response?.statusCode;
}
