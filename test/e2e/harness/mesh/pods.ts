// The e2e tier's kubelet for what runs: each Deployment of the functions namespace with
// replicas > 0 runs as one real example-chatbot process (examples/chatbot/chatbot/server.ts
// under the pinned Node 24) with its pod template's `env` values and PORT on a free loopback
// port (a `valueFrom.secretKeyRef` is read from the Secret, as the kubelet does). A changed pod template is a new revision: its process starts, becomes routable once
// it answers /_/health, and only then is the old one stopped, as a rolling update would.
// The kubelet shim (the sandbox's, see control-plane.ts) still writes /status; this only runs the code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CoreV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1EnvVar,
} from '@kubernetes/client-node';
import { ObjectCache } from '@greenlight/core';
import { freePort } from '../ports.ts';
import { ManagedProcess } from '../process.ts';
import { killOnExit } from '../reaper.ts';

const SERVER = fileURLToPath(
  new URL('../../../../examples/chatbot/chatbot/server.ts', import.meta.url),
);
const REPO_NODE = fileURLToPath(new URL('../../../../node_modules/node/bin/node', import.meta.url));

/** A running replica: where the Deployment's code answers. */
export interface Pod {
  namespace: string;
  deployment: string;
  /** Pod-template labels, matched against Service selectors. */
  labels: Readonly<Record<string, string>>;
  url: string;
}

export interface Pods {
  ready: Promise<void>;
  /** The ready pods whose labels match `selector` (a Service's spec.selector). */
  select(namespace: string, selector: Readonly<Record<string, string>>): Pod[];
  stop(): Promise<void>;
}

interface Running {
  template: string;
  pod: Pod;
  process: ManagedProcess;
}

/** The pinned Node 24: this one when the tests run under it, else the `node` package's. */
export function nodeBinary(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  if (existsSync(REPO_NODE)) return REPO_NODE;
  throw new Error('no Node 24 to run the chatbot: run `npm ci` (the `node` devDependency)');
}

export function startPods(
  kc: KubeConfig,
  namespace: string,
  dir: string,
  log: (line: string) => void,
): Pods {
  const deployments = new ObjectCache<V1Deployment>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
  });
  const core = kc.makeApiClient(CoreV1Api);
  const running = new Map<string, Running>();
  // One change at a time per Deployment: a start waits for the previous one to settle.
  const queues = new Map<string, Promise<void>>();
  let started = 0;
  let stopped = false;

  const reconcile = (name: string) => {
    const previous = queues.get(name) ?? Promise.resolve();
    const next = previous
      .then(() => converge(name))
      .catch((error: unknown) => log(`pods: ${name}: ${(error as Error).message}`));
    queues.set(name, next);
  };

  const converge = async (name: string) => {
    const deployment = stopped ? undefined : deployments.get(namespace, name);
    const current = running.get(name);
    const wanted = deployment && (deployment.spec?.replicas ?? 1) > 0 ? deployment : undefined;
    const template = wanted ? JSON.stringify(wanted.spec?.template ?? {}) : undefined;
    if (current && current.template === template) return;
    const next = wanted && template ? await start(wanted, template) : undefined;
    if (next) running.set(name, next);
    else running.delete(name);
    if (current) {
      await current.process.stop();
      log(`pods: ${name}: stopped pid ${current.process.pid}`);
    }
  };

  const start = async (deployment: V1Deployment, template: string): Promise<Running> => {
    const name = deployment.metadata?.name ?? '';
    const port = await freePort();
    const container = deployment.spec?.template?.spec?.containers?.[0];
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const variable of container?.env ?? []) {
      const value = await valueOf(variable);
      if (value !== undefined) env[variable.name] = value;
      else log(`pods: ${name}: env ${variable.name}: only value and secretKeyRef are run here`);
    }
    env.PORT = String(port);
    const proc = new ManagedProcess({
      name: `pod-${name}-${++started}`,
      command: nodeBinary(),
      args: [SERVER],
      dir,
      env,
    });
    killOnExit(proc);
    const url = `http://127.0.0.1:${port}`;
    await proc.waitUntil(`${name} to answer /_/health`, async () => {
      return (await fetch(`${url}/_/health`)).ok;
    });
    log(`pods: ${name}: pid ${proc.pid} on ${url} (${proc.logFile})`);
    const labels = { ...(deployment.spec?.template?.metadata?.labels ?? {}) };
    return { template, process: proc, pod: { namespace, deployment: name, labels, url } };
  };

  const valueOf = async (variable: V1EnvVar): Promise<string | undefined> => {
    if (variable.value !== undefined) return variable.value;
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref?.name) return undefined;
    const secret = await core.readNamespacedSecret({ name: ref.name, namespace });
    const data = secret.data?.[ref.key];
    return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
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
