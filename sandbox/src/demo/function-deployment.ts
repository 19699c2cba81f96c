import type { V1Deployment } from '@kubernetes/client-node';
import { REVISION_ANNOTATION, type StackFunction } from '@greenlight/core';
import { BEHAVIOUR_ANNOTATION } from '../metrics/index.ts';

// The Deployment faas-netes makes for an OpenFaaS function (selected by `faas_function`,
// in `openfaas-fn`, the watchdog on 8080), with the pod template stamped as Greenlight's
// action stamps it — greenlight.dev/revision — and, in the sandbox only, the behaviour the
// synthetic traffic gives this version.

export function functionDeployment(
  fn: StackFunction,
  namespace: string,
  revision: string,
  behaviour: string,
): V1Deployment {
  const labels = { faas_function: fn.name, ...fn.labels };
  const env = Object.entries({ ...fn.environment, BOT_REVISION: revision }).map(
    ([name, value]) => ({
      name,
      value,
    }),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: fn.name, namespace, labels, annotations: { ...fn.annotations } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { faas_function: fn.name } },
      template: {
        metadata: {
          labels,
          annotations: {
            ...fn.annotations,
            [REVISION_ANNOTATION]: revision,
            [BEHAVIOUR_ANNOTATION]: behaviour,
          },
        },
        spec: {
          containers: [
            {
              name: fn.name,
              image: fn.image.replace(/:[^:/]+$/, '') + `:${revision}`,
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
