import type { V1Service } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import { serviceNamesOf } from 'flagger-types';
import { ownerReference } from './deployment-controller.ts';

// Flagger's KubernetesDefaultRouter (pkg/router/kubernetes_default.go): the ClusterIP
// Services `<apex>-canary` (selecting the target's pods) and `<apex>-primary` (the
// primary's), created by Initialize, and the apex `<apex>` pointed at the primary by
// Reconcile — which takes over a Service faas-netes made for the function. Port discovery,
// headless Services and custom metadata are not simulated.

export class ServiceRouter {
  readonly #kube: KubeClient;
  readonly #label: string;
  readonly #value: string;

  /** `label`/`value`: the target's selector label (e.g. `faas_function: chatbot`). */
  constructor(kube: KubeClient, label: string, value: string) {
    this.#kube = kube;
    this.#label = label;
    this.#value = value;
  }

  /** Initialize: the canary and primary Services. */
  async initialize(canary: Canary): Promise<void> {
    const { primary, canary: canaryName } = serviceNamesOf(canary);
    await this.#reconcile(canary, canaryName, this.#value);
    await this.#reconcile(canary, primary, `${this.#value}-primary`);
  }

  /** Reconcile: the apex Service, selecting the primary's pods. */
  async reconcile(canary: Canary): Promise<void> {
    await this.#reconcile(canary, serviceNamesOf(canary).apex, `${this.#value}-primary`);
  }

  async #reconcile(canary: Canary, name: string, podSelector: string): Promise<void> {
    const namespace = canary.metadata.namespace ?? '';
    const service = canary.spec.service;
    const ports = [
      {
        name: service.portName || 'http',
        protocol: 'TCP',
        port: service.port,
        targetPort: service.targetPort ?? service.port,
      },
    ];
    const selector = { [this.#label]: podSelector };
    const ref = { apiVersion: 'v1', kind: 'Service', namespace, name };
    const existing = await this.#kube.get<V1Service>(ref);
    if (!existing) {
      const created: V1Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name,
          namespace,
          labels: { [this.#label]: name },
          ownerReferences: [ownerReference(canary)],
        },
        spec: { type: 'ClusterIP', selector, ports },
      };
      try {
        await this.#kube.apply(created);
      } catch (error) {
        throw new Error(`service ${name}.${namespace} create error: ${(error as Error).message}`, {
          cause: error,
        });
      }
      return;
    }
    const same =
      JSON.stringify(existing.spec?.selector ?? {}) === JSON.stringify(selector) &&
      JSON.stringify(existing.spec?.ports ?? []) === JSON.stringify(ports);
    if (same) return;
    try {
      // Lists and maps are replaced as Flagger's Update replaces them.
      await this.#kube.mergePatch(ref, {
        spec: { ports, selector: { ...nulls(existing.spec?.selector), ...selector } },
      });
    } catch (error) {
      throw new Error(`service ${name}.${namespace} update error: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

function nulls(map: Record<string, string> | undefined): Record<string, null> {
  return Object.fromEntries(Object.keys(map ?? {}).map((key) => [key, null]));
}
