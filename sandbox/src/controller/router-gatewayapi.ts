import type { Canary, HTTPRoute } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import { serviceNamesOf } from 'flagger-types';
import type { MeshRouter, Routes } from './router.ts';

// Flagger's GatewayAPIV1Beta1Router (pkg/router/gateway_api_v1beta1.go), used for
// `provider: gatewayapi:v1beta1`: an HTTPRoute `<apex>` whose parents are
// `service.gatewayRefs` (on Linkerd, the apex Service) with one rule matching `/` and two
// weighted backends, `<apex>-primary` and `<apex>-canary`. A/B matches, header filters,
// session affinity and mirroring are not simulated.

export class GatewayApiRouter implements MeshRouter {
  readonly #kube: KubeClient;
  readonly #apiVersion: string;

  constructor(kube: KubeClient, apiVersion: string) {
    this.#kube = kube;
    this.#apiVersion = apiVersion;
  }

  async reconcile(canary: Canary): Promise<void> {
    const { apex } = serviceNamesOf(canary);
    const namespace = canary.metadata.namespace ?? '';
    if ((canary.spec.service.gatewayRefs ?? []).length === 0) {
      throw new Error('GatewayRefs must be specified when using Gateway API as a provider.');
    }
    const existing = await this.#get(canary);
    if (!existing) {
      try {
        await this.#kube.apply({
          apiVersion: this.#apiVersion,
          kind: 'HTTPRoute',
          metadata: { name: apex, namespace, labels: {}, annotations: {} },
          spec: routeSpec(canary, 100, 0),
        });
      } catch (error) {
        throw new Error(
          `HTTPRoute ${apex}.${namespace} create error: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return;
    }
    // Flagger compares the spec ignoring the backends' weights.
    const current = JSON.stringify(withoutWeights(existing.spec));
    if (current === JSON.stringify(withoutWeights(routeSpec(canary, 100, 0)))) return;
    await this.#write(canary, routeSpec(canary, 100, 0), 'update error: %s while reconciling');
  }

  async getRoutes(canary: Canary): Promise<Routes> {
    const { apex, primary, canary: canaryName } = serviceNamesOf(canary);
    const route = await this.#get(canary);
    if (!route) {
      throw new Error(
        `HTTPRoute ${apex}.${canary.metadata.namespace} get error: httproutes.gateway.networking.k8s.io "${apex}" not found`,
      );
    }
    let primaryWeight = 0;
    let canaryWeight = 0;
    for (const rule of route.spec?.rules ?? []) {
      // A/B testing adds rules with the canary alone; only two-backend rules carry the split.
      if ((rule.backendRefs ?? []).length !== 2) continue;
      for (const ref of rule.backendRefs ?? []) {
        if (ref.name === primary) primaryWeight = Number(ref.weight ?? 1);
        if (ref.name === canaryName) canaryWeight = Number(ref.weight ?? 1);
      }
    }
    return { primaryWeight, canaryWeight, mirrored: false };
  }

  async setRoutes(canary: Canary, primaryWeight: number, canaryWeight: number): Promise<void> {
    const { apex } = serviceNamesOf(canary);
    if (!(await this.#get(canary))) {
      throw new Error(
        `HTTPRoute ${apex}.${canary.metadata.namespace} get error: httproutes.gateway.networking.k8s.io "${apex}" not found`,
      );
    }
    await this.#write(
      canary,
      routeSpec(canary, primaryWeight, canaryWeight),
      'update error: %s while setting weights',
    );
  }

  async #write(canary: Canary, spec: object, what: string): Promise<void> {
    const { apex } = serviceNamesOf(canary);
    const namespace = canary.metadata.namespace ?? '';
    try {
      await this.#kube.mergePatch(
        { apiVersion: this.#apiVersion, kind: 'HTTPRoute', namespace, name: apex },
        { spec },
      );
    } catch (error) {
      throw new Error(
        `HTTPRoute ${apex}.${namespace} ${what.replace('%s', (error as Error).message)}`,
        { cause: error },
      );
    }
  }

  #get(canary: Canary): Promise<HTTPRoute | undefined> {
    return this.#kube.get<HTTPRoute>({
      apiVersion: this.#apiVersion,
      kind: 'HTTPRoute',
      namespace: canary.metadata.namespace ?? '',
      name: serviceNamesOf(canary).apex,
    });
  }
}

/** The HTTPRoute spec Flagger writes for a weighted split without A/B matches. */
function routeSpec(canary: Canary, primaryWeight: number, canaryWeight: number) {
  const { primary, canary: canaryName } = serviceNamesOf(canary);
  const port = canary.spec.service.port;
  const backend = (name: string, weight: number) => ({
    group: '',
    kind: 'Service',
    name,
    port,
    weight,
  });
  return {
    parentRefs: canary.spec.service.gatewayRefs ?? [],
    ...(canary.spec.service.hosts?.length ? { hostnames: canary.spec.service.hosts } : {}),
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [backend(primary, primaryWeight), backend(canaryName, canaryWeight)],
      },
    ],
  };
}

function withoutWeights(spec: unknown): unknown {
  return JSON.parse(JSON.stringify(spec ?? {}), (key, value) =>
    key === 'weight' ? undefined : value,
  );
}
