import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig, V1Deployment, V1EnvVar, V1Secret } from '@kubernetes/client-node';
import { createKubeClient, ObjectCache } from '@greenlight/core';
import { configFromEnv, createChatbotServer } from '@greenlight/example-chatbot';

// Not a kubelet: what the sandbox runs in place of pods. Each Deployment of `namespace` with
// replicas > 0 runs as the real example chatbot (createChatbotServer, in this process, on a
// loopback port) configured from its pod template's `env` as the container would be
// (configFromEnv: BOT_COLOR, BOT_REVISION, DEMO_FAULT, SLACK_SIGNING_SECRET; a
// `valueFrom.secretKeyRef` read from the Secret). A changed template starts the new revision
// before the old one stops, as a rolling update does. The e2e tier runs one process per
// Deployment on a real cluster (test/e2e/harness/mesh/pods.ts); in one process, this is smaller.

export interface Pod {
  deployment: string;
  /** Pod-template labels, matched against Service selectors. */
  labels: Readonly<Record<string, string>>;
  port: number;
}

export interface Pods {
  ready: Promise<void>;
  /** The running pods of `namespace` whose labels match `selector` (a Service's). */
  select(namespace: string, selector: Readonly<Record<string, string>>): Pod[];
  stop(): Promise<void>;
}

/** No `secrets:` volume is mounted here: the chatbot's secret file is never found. */
const NO_SECRET_FILE = '';

export function startPods(
  kubeconfig: KubeConfig,
  namespace: string,
  log: (line: string) => void,
): Pods {
  const kube = createKubeClient(kubeconfig);
  const deployments = new ObjectCache<V1Deployment>(kubeconfig, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
  });
  const running = new Map<string, { template: string; pod: Pod; server: Server }>();
  const queues = new Map<string, Promise<void>>();
  let stopped = false;

  const valueOf = async (variable: V1EnvVar): Promise<string | undefined> => {
    if (variable.value !== undefined) return variable.value;
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref?.name) return undefined;
    const secret = await kube.get<V1Secret>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace,
      name: ref.name,
    });
    const data = secret?.data?.[ref.key];
    return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
  };

  const start = async (deployment: V1Deployment, template: string) => {
    const name = deployment.metadata?.name ?? '';
    const env: NodeJS.ProcessEnv = {};
    for (const variable of deployment.spec?.template?.spec?.containers?.[0]?.env ?? []) {
      const value = await valueOf(variable);
      if (value !== undefined) env[variable.name] = value;
      else log(`pods: ${name}: env ${variable.name}: only value and secretKeyRef are run here`);
    }
    const server = createChatbotServer(configFromEnv(env, NO_SECRET_FILE));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const labels = { ...(deployment.spec?.template?.metadata?.labels ?? {}) };
    log(`pods: ${name}: the chatbot ${env.BOT_REVISION ?? ''} on 127.0.0.1:${port}`);
    return { template, server, pod: { deployment: name, labels, port } };
  };

  const converge = async (name: string) => {
    const deployment = stopped ? undefined : deployments.get(namespace, name);
    const wanted = deployment && (deployment.spec?.replicas ?? 1) > 0 ? deployment : undefined;
    const template = wanted ? JSON.stringify(wanted.spec?.template ?? {}) : undefined;
    const current = running.get(name);
    if (current?.template === template) return;
    const next = wanted && template ? await start(wanted, template) : undefined;
    if (next) running.set(name, next);
    else running.delete(name);
    if (current) {
      current.server.closeAllConnections();
      await new Promise((resolve) => current.server.close(resolve));
    }
  };

  const reconcile = (name: string) => {
    const next = (queues.get(name) ?? Promise.resolve())
      .then(() => converge(name))
      .catch((error: unknown) => log(`pods: ${name}: ${(error as Error).message}`));
    queues.set(name, next);
  };

  deployments.onChange(({ object }) => reconcile(object.metadata?.name ?? ''));
  return {
    ready: deployments.start().then(async () => {
      for (const d of deployments.list()) reconcile(d.metadata?.name ?? '');
      await Promise.all(queues.values());
    }),
    select(ns, selector) {
      const entries = Object.entries(selector);
      if (ns !== namespace || entries.length === 0) return [];
      return [...running.values()]
        .map((r) => r.pod)
        .filter((pod) => entries.every(([key, value]) => pod.labels[key] === value));
    },
    async stop() {
      stopped = true;
      deployments.stop();
      for (const name of [...running.keys()]) reconcile(name);
      await Promise.all(queues.values());
    },
  };
}
