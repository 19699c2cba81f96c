import type { CanaryService, Provider } from 'flagger-types';
import type { CanaryOptions, CanaryProvider } from './options.ts';

/**
 * Flagger's provider for each Greenlight provider: `gatewayapi` makes Flagger write an
 * HTTPRoute `gateway.networking.k8s.io/v1` (`gatewayapi:v1`, Flagger's GatewayAPIRouter,
 * pkg/router/factory.go); `linkerd` an SMI `split.smi-spec.io/v1alpha1` TrafficSplit (needs
 * linkerd-smi; deprecated, LINKERD_DEPRECATION).
 */
export const FLAGGER_PROVIDERS = {
  gatewayapi: 'gatewayapi:v1',
  linkerd: 'linkerd',
} as const satisfies Record<CanaryOptions['provider'], Provider>;

/**
 * The Greenlight provider of a live Canary's `spec.provider`, so a deploy without a provider
 * keeps the one the Canary runs: `gatewayapi:<any version>` is gatewayapi, `linkerd` and
 * `smi:*` are linkerd. Undefined for none or another mesh, which Greenlight does not render.
 */
export function providerOf(flaggerProvider: string | undefined): CanaryProvider | undefined {
  const name = (flaggerProvider ?? '').split(':')[0];
  if (name === 'gatewayapi') return 'gatewayapi';
  if (name === 'linkerd' || name === 'smi') return 'linkerd';
  return undefined;
}

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
