import type { KubeClient } from '@greenlight/core';
import type { MeshRouter } from './router.ts';
import { GatewayApiRouter } from './router-gatewayapi.ts';
import { SmiRouter } from './router-smi.ts';

/**
 * The router for a provider (pkg/router/factory.go), for the providers Greenlight uses:
 * `linkerd` (and `smi:v1alpha1`) write an SMI TrafficSplit, `gatewayapi:v1beta1` and
 * `gatewayapi:v1` an HTTPRoute.
 */
export function meshRouter(kube: KubeClient, provider: string): MeshRouter {
  if (provider === 'linkerd' || provider === 'smi' || provider === 'smi:v1alpha1') {
    return new SmiRouter(kube);
  }
  if (
    provider === 'gatewayapi:v1beta1' ||
    provider === 'gatewayapi' ||
    provider === 'gatewayapi:v1'
  ) {
    const version = provider === 'gatewayapi:v1' ? 'v1' : 'v1beta1';
    return new GatewayApiRouter(kube, `gateway.networking.k8s.io/${version}`);
  }
  throw new Error(
    `provider ${provider} is not simulated by the Greenlight sandbox; use linkerd or gatewayapi:v1beta1`,
  );
}
