import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig, V1Deployment, V1EnvVar, V1Secret } from '@kubernetes/client-node';
import { createKubeClient, ObjectCache } from '@greenlight/core';
import { configFromEnv, createChatbotServer } from '@greenlight/example-chatbot';

// Not a kubelet: what runs in place of pods. Each Deployment (of `namespace`, or of every
// namespace) with replicas > 0 runs as one replica started by `launch` with its pod
// template's `env` values (a `valueFrom.secretKeyRef` read from the Secret, as the kubelet
// does). A changed pod template is a new revision: its replica starts, and only once `launch`
// has it answering is the old one stopped, as a rolling update would. The sandbox runs the
// example chatbot in this process (chatbotInProcess); the e2e tier runs it as a process per
// Deployment (test/e2e/harness/mesh.ts). The kubelet shim (../simulate/kubelet.ts) writes
// /status; this only runs code.

/** A running replica: where the Deployment's code answers. */
export interface Pod {
  namespace: string;
  deployment: string;
  /** Pod-template labels, matched against Service selectors. */
  labels: Readonly<Record<string, string>>;
  /** `http://127.0.0.1:<port>`. */
  url: string;
}

export interface Pods {
  ready: Promise<void>;
  /** The ready pods whose labels match `selector` (a Service's spec.selector). */
  select(namespace: string, selector: Readonly<Record<string, string>>): Pod[];
  stop(): Promise<void>;
}

/** A started replica, answering at `url`. */
export interface Replica {
  url: string;
  stop(): Promise<void>;
}

/** Starts the code of `deployment` with its container's environment; resolves once it answers. */
export type Launch = (deployment: V1Deployment, env: Record<string, string>) => Promise<Replica>;

export function startPods(
  kubeconfig: KubeConfig,
  namespace: string | undefined,
  launch: Launch,
  log: (line: string) => void,
): Pods {
  const kube = createKubeClient(kubeconfig);
  const deployments = new ObjectCache<V1Deployment>(kubeconfig, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    ...(namespace ? { namespace } : {}),
  });
  const running = new Map<string, { template: string; pod: Pod; replica: Replica }>();
  // One change at a time per Deployment: a start waits for the previous one to settle.
  const queues = new Map<string, Promise<void>>();
  let stopped = false;

  const valueOf = async (namespace: string, variable: V1EnvVar): Promise<string | undefined> => {
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
    // The kubelet does not start a container whose secretKeyRef it cannot read.
    if (data === undefined)
      throw new Error(`env ${variable.name}: no key ${ref.key} in Secret ${ref.name}`);
    return Buffer.from(data, 'base64').toString('utf8');
  };

  const start = async (deployment: V1Deployment, template: string) => {
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    const env: Record<string, string> = {};
    for (const variable of deployment.spec?.template?.spec?.containers?.[0]?.env ?? []) {
      const value = await valueOf(namespace, variable);
      if (value !== undefined) env[variable.name] = value;
      else log(`pods: ${name}: env ${variable.name}: only value and secretKeyRef are run here`);
    }
    const replica = await launch(deployment, env);
    const labels = { ...(deployment.spec?.template?.metadata?.labels ?? {}) };
    return { template, replica, pod: { namespace, deployment: name, labels, url: replica.url } };
  };

  /** `key` is `<namespace>/<name>`. */
  const converge = async (key: string) => {
    const [ns = '', name = ''] = key.split('/');
    const deployment = stopped ? undefined : deployments.get(ns, name);
    const wanted = deployment && (deployment.spec?.replicas ?? 1) > 0 ? deployment : undefined;
    const template = wanted ? JSON.stringify(wanted.spec?.template ?? {}) : undefined;
    const current = running.get(key);
    if (current?.template === template) return;
    const next = wanted && template ? await start(wanted, template) : undefined;
    if (next) running.set(key, next);
    else running.delete(key);
    await current?.replica.stop();
  };

  const reconcile = (key: string) => {
    const next = (queues.get(key) ?? Promise.resolve())
      .then(() => converge(key))
      .catch((error: unknown) => log(`pods: ${key}: ${(error as Error).message}`));
    queues.set(key, next);
  };
  const keyOf = (d: V1Deployment) => `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`;

  deployments.onChange(({ object }) => reconcile(keyOf(object)));
  return {
    ready: deployments.start().then(async () => {
      for (const d of deployments.list()) reconcile(keyOf(d));
      await Promise.all(queues.values());
    }),
    select(ns, selector) {
      const entries = Object.entries(selector);
      if (entries.length === 0) return [];
      return [...running.values()]
        .map((r) => r.pod)
        .filter(
          (pod) =>
            pod.namespace === ns && entries.every(([key, value]) => pod.labels[key] === value),
        );
    },
    async stop() {
      stopped = true;
      deployments.stop();
      for (const key of [...running.keys()]) reconcile(key);
      await Promise.all(queues.values());
    },
  };
}

/** No `secrets:` volume is mounted in this process: the chatbot's secret file is never found. */
const NO_SECRET_FILE = '';

/** The example chatbot in this process on a loopback port, configured as its container would be. */
export const chatbotInProcess: Launch = async (_deployment, env) => {
  const server: Server = createChatbotServer(configFromEnv(env, NO_SECRET_FILE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // As a terminating pod: answers what it has begun, then goes (at most 2 s later).
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const late = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(late);
    },
  };
};
