// The test kit's cluster, shared by the gate, CLI, action and integration tests and the
// benchmarks: a Kubernetes API stand-in with the example chatbot's objects on it, used
// through the real @kubernetes/client-node.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import {
  createKubeClient,
  REVISION_ANNOTATION,
  renderCanary,
  resolveCanaryOptions,
  type FunctionProbe,
  type KubeClient,
} from '@greenlight/core';

export interface TestCluster {
  api: ApiServer;
  kc: KubeConfig;
  kube: KubeClient;
  close(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const api = await startApiServer({ port: 0 });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  return { api, kc, kube: createKubeClient(kc), close: () => api.close() };
}

/** A chatbot's target Deployment ("green"), its pod template stamped with `revision`. */
export function chatbotDeployment(name: string, namespace: string, revision: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { faas_function: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { faas_function: name } },
      template: {
        metadata: {
          labels: { faas_function: name },
          annotations: { [REVISION_ANNOTATION]: revision },
        },
        spec: { containers: [{ name, image: `registry.local/${name}:${revision}` }] },
      },
    },
  };
}

/**
 * Applies a chatbot's Canary (approval on; with `probe`, its probe webhooks as render writes
 * them, rollout sending `probeRounds`) and its target Deployment at `revision`.
 */
export async function deployChatbot(
  kube: KubeClient,
  options: {
    name?: string;
    namespace?: string;
    revision: string;
    probe?: FunctionProbe;
    probeRounds?: number;
  },
): Promise<void> {
  const name = options.name ?? 'chatbot';
  const namespace = options.namespace ?? 'openfaas-fn';
  const objects = renderCanary(
    { name, ...(options.probe && { probe: options.probe }) },
    resolveCanaryOptions({
      namespace,
      // The Flagger writes these tests play are SmiRouter's (writeTrafficSplit).
      provider: 'linkerd',
      approval: true,
      ...(options.probeRounds !== undefined && { probeRounds: options.probeRounds }),
    }),
  );
  for (const object of objects) await kube.apply(object as KubernetesObject);
  await kube.apply(chatbotDeployment(name, namespace, options.revision) as KubernetesObject);
}

/** Polls `check` until it is true (caches are eventually consistent), or fails after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
