import { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '@greenlight/core';
import type { ClusterConfig } from '../config.ts';

/** The client-node configuration of one configured cluster. */
export function kubeConfigOf(cluster: ClusterConfig): KubeConfig {
  if (cluster.kubeconfig) {
    return loadKubeConfig({ kubeconfig: cluster.kubeconfig, context: cluster.context });
  }
  const kc = new KubeConfig();
  if (cluster.inCluster) {
    kc.loadFromCluster();
    return kc;
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url ?? '',
        ...(cluster.caData ? { caData: cluster.caData } : {}),
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: cluster.name, ...(cluster.token ? { token: cluster.token } : {}) }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: cluster.name }],
    currentContext: cluster.name,
  });
  return kc;
}
