import type { CanaryService, Provider } from 'flagger-types';
import type { CanaryOptions } from './options.ts';

/**
 * Flagger's provider for each Greenlight provider: `linkerd` makes Flagger write an SMI
 * `split.smi-spec.io/v1alpha1` TrafficSplit (needs linkerd-smi); `gatewayapi` an HTTPRoute
 * through `gatewayapi:v1beta1`, the version Flagger's Linkerd tutorial and kustomize/linkerd use.
 */
export const FLAGGER_PROVIDERS = {
  linkerd: 'linkerd',
  gatewayapi: 'gatewayapi:v1beta1',
} as const satisfies Record<CanaryOptions['provider'], Provider>;

/**
 * `spec.service`. OpenFaaS' watchdog listens on the Service port itself, so port and
 * targetPort agree. With the Gateway API, Linkerd routes by an HTTPRoute whose parent is the
 * apex Service (GAMMA), written as in Flagger's Linkerd tutorial (`group: core`).
 */
export function renderService(name: string, options: CanaryOptions): CanaryService {
  const service: CanaryService = { port: options.port, targetPort: options.port };
  if (options.provider === 'gatewayapi') {
    service.gatewayRefs = [
      { name, namespace: options.namespace, group: 'core', kind: 'Service', port: options.port },
    ];
  }
  return service;
}
