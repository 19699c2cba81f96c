// The kinds Greenlight watches and reads, with the URL names their APIs serve them under, so
// a list, a watch or a read of one needs no discovery request first (client-node looks a
// kind up in its group's discovery document before its first request of that group). The
// names are the CRDs' own: flagger.app `canaries` (Flagger v1.44 artifacts/flagger/crd.yaml),
// split.smi-spec.io `trafficsplits`, gateway.networking.k8s.io `httproutes`, and apps/v1
// `deployments` and `replicasets`; all are namespaced.
import type { V1APIResource } from '@kubernetes/client-node';

const KNOWN: Record<string, string> = {
  'flagger.app/Canary': 'canaries',
  'flagger.app/MetricTemplate': 'metrictemplates',
  'flagger.app/AlertProvider': 'alertproviders',
  'split.smi-spec.io/TrafficSplit': 'trafficsplits',
  'gateway.networking.k8s.io/HTTPRoute': 'httproutes',
  'apps/Deployment': 'deployments',
  'apps/ReplicaSet': 'replicasets',
};

/** The discovery entry of a known namespaced kind, as the API would answer it; else undefined. */
export function knownResource(apiVersion: string, kind: string): V1APIResource | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const name = KNOWN[`${group}/${kind}`];
  return name ? { kind, name, namespaced: true, singularName: '', verbs: [] } : undefined;
}
