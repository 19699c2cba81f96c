import type { Canary } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import { GatewayApiRouter } from './router-gatewayapi.ts';
import { SmiRouter } from './router-smi.ts';

// Flagger's mesh router interface (pkg/router/router.go): make the route object, read its
// weights, set them. One file per provider, as in pkg/router/.

export interface Routes {
  primaryWeight: number;
  canaryWeight: number;
  /** Traffic mirroring is not simulated; always false. */
  mirrored: boolean;
}

export interface MeshRouter {
  reconcile(canary: Canary): Promise<void>;
  getRoutes(canary: Canary): Promise<Routes>;
  setRoutes(canary: Canary, primaryWeight: number, canaryWeight: number): Promise<void>;
}

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
