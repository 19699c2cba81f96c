import type { V1Deployment } from '@kubernetes/client-node';
import type { StackFunction } from '@greenlight/core';

// The Deployment faas-netes makes on a function's first `faas-cli deploy` (selected by
// `faas_function`, in `openfaas-fn`, the watchdog on 8080). The action's kubernetes target
// patches an existing Deployment and never creates one, so the demo plays faas-netes once;
// from then on every version goes through the action.

export function functionDeployment(fn: StackFunction, namespace: string): V1Deployment {
  const labels = { faas_function: fn.name, ...fn.labels };
  const env = Object.entries(fn.environment ?? {}).map(([name, value]) => ({ name, value }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: fn.name, namespace, labels, annotations: { ...fn.annotations } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { faas_function: fn.name } },
      template: {
        metadata: { labels, annotations: { ...fn.annotations } },
        spec: {
          containers: [
            {
              name: fn.name,
              image: fn.image,
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env,
              resources: {
                ...(fn.limits ? { limits: { ...fn.limits } } : {}),
                ...(fn.requests ? { requests: { ...fn.requests } } : {}),
              },
            },
          ],
        },
      },
    },
  };
}
