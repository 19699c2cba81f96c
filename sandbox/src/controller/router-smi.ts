import type { Canary, TrafficSplit } from 'flagger-types';
import { parseWeight, serviceNamesOf } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import type { MeshRouter, Routes } from './router.ts';

// Flagger's SmiRouter (pkg/router/smi.go), used for `provider: linkerd`: a
// split.smi-spec.io/v1alpha1 TrafficSplit `<apex>` for Service `<apex>` with the backends
// `<apex>-canary` and `<apex>-primary`. Flagger writes weights as Kubernetes Quantities,
// which serialise as strings ("90").

const API_VERSION = 'split.smi-spec.io/v1alpha1';

export class SmiRouter implements MeshRouter {
  readonly #kube: KubeClient;

  constructor(kube: KubeClient) {
    this.#kube = kube;
  }

  /** Creates the split at 100 % primary; repairs its service and backends, never its weights. */
  async reconcile(canary: Canary): Promise<void> {
    const { apex, primary, canary: canaryName } = serviceNamesOf(canary);
    const namespace = canary.metadata.namespace ?? '';
    const host = canary.spec.service.hosts?.[0] || apex;
    const existing = await this.#get(canary);
    if (!existing) {
      try {
        await this.#kube.apply({
          apiVersion: API_VERSION,
          kind: 'TrafficSplit',
          metadata: { name: apex, namespace },
          spec: { service: host, backends: backends(primary, canaryName, 100, 0) },
        });
      } catch (error) {
        throw new Error(
          `TrafficSplit ${apex}.${namespace} create error: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return;
    }
    // Flagger compares the spec ignoring the weights (cmpopts.IgnoreTypes(resource.Quantity{})).
    const services = (existing.spec.backends ?? []).map((backend) => backend.service);
    if (existing.spec.service === host && services.join() === [canaryName, primary].join()) return;
    await this.#write(canary, backends(primary, canaryName, 100, 0), host, 'update error:');
  }

  async getRoutes(canary: Canary): Promise<Routes> {
    const { apex, primary, canary: canaryName } = serviceNamesOf(canary);
    const namespace = canary.metadata.namespace ?? '';
    const split = await this.#get(canary);
    if (!split) {
      throw new Error(
        `TrafficSplit ${apex}.${namespace} get query error trafficsplits.split.smi-spec.io "${apex}" not found`,
      );
    }
    let primaryWeight = 0;
    let canaryWeight = 0;
    for (const backend of split.spec.backends ?? []) {
      const weight = Math.trunc(parseWeight(backend.weight) ?? 0);
      if (backend.service === primary) primaryWeight = weight;
      if (backend.service === canaryName) canaryWeight = weight;
    }
    if (primaryWeight === 0 && canaryWeight === 0) {
      throw new Error(
        `TrafficSplit ${apex}.${namespace} does not contain routes for ${primary} and ${canaryName}`,
      );
    }
    return { primaryWeight, canaryWeight, mirrored: false };
  }

  async setRoutes(canary: Canary, primaryWeight: number, canaryWeight: number): Promise<void> {
    const { apex, primary, canary: canaryName } = serviceNamesOf(canary);
    if (!(await this.#get(canary))) {
      throw new Error(
        `TrafficSplit ${apex}.${canary.metadata.namespace} get query error trafficsplits.split.smi-spec.io "${apex}" not found`,
      );
    }
    await this.#write(
      canary,
      backends(primary, canaryName, primaryWeight, canaryWeight),
      undefined,
      'update error',
    );
  }

  async #write(canary: Canary, list: object[], service: string | undefined, what: string) {
    const { apex } = serviceNamesOf(canary);
    const namespace = canary.metadata.namespace ?? '';
    try {
      await this.#kube.mergePatch(
        { apiVersion: API_VERSION, kind: 'TrafficSplit', namespace, name: apex },
        { spec: { ...(service ? { service } : {}), backends: list } },
      );
    } catch (error) {
      throw new Error(`TrafficSplit ${apex}.${namespace} ${what} ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  #get(canary: Canary): Promise<TrafficSplit | undefined> {
    return this.#kube.get<TrafficSplit>({
      apiVersion: API_VERSION,
      kind: 'TrafficSplit',
      namespace: canary.metadata.namespace ?? '',
      name: serviceNamesOf(canary).apex,
    });
  }
}

function backends(primary: string, canary: string, primaryWeight: number, canaryWeight: number) {
  // Canary first, as Flagger lists them.
  return [
    { service: canary, weight: String(canaryWeight) },
    { service: primary, weight: String(primaryWeight) },
  ];
}
