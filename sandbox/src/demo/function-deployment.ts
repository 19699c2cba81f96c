import type { V1Deployment } from '@kubernetes/client-node';
import type { StackFunction } from '@greenlight/core';

// The Deployment faas-netes makes on a function's first `faas-cli deploy` (selected by
// `faas_function`, in `openfaas-fn`, the watchdog on 8080). The action's kubernetes target
// patches an existing Deployment and never creates one, so the demo plays faas-netes once;
// from then on every version goes through the action. Its `secrets:` are mounted as
// faas-netes mounts them (a projected volume at /var/openfaas/secrets), so the prober may
// sign Slack turns with the one probes.yml names.

const SECRETS_VOLUME = (name: string) => `${name}-projected-secrets`;

export function functionDeployment(fn: StackFunction, namespace: string): V1Deployment {
  const labels = { faas_function: fn.name, ...fn.labels };
  const env = Object.entries(fn.environment ?? {}).map(([name, value]) => ({ name, value }));
  const secrets = fn.secrets ?? [];
  const volume = SECRETS_VOLUME(fn.name);
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
              ...(secrets.length > 0 && {
                volumeMounts: [
                  { name: volume, readOnly: true, mountPath: '/var/openfaas/secrets' },
                ],
              }),
              resources: {
                ...(fn.limits ? { limits: { ...fn.limits } } : {}),
                ...(fn.requests ? { requests: { ...fn.requests } } : {}),
              },
            },
          ],
          ...(secrets.length > 0 && {
            volumes: [
              {
                name: volume,
                projected: { sources: secrets.map((name) => ({ secret: { name } })) },
              },
            ],
          }),
        },
      },
    },
  };
}
