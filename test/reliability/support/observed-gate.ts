// A gate replica as `greenlight-gate` runs it — real watch-backed caches, the real server —
// that also keeps, for each request, the exact Canary and Deployment objects its decision
// was made from. Requests carry an `x-request-id`; AsyncLocalStorage ties the lookups and
// the recorded decision made while serving a request to that id, so a test can check each
// answer against the cache state the gate saw at that moment.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  createKubeClient,
  createObjectReader,
  ObjectCache,
  type ObjectRef,
} from '@greenlight/core';
import {
  createGateServer,
  DecisionRecorder,
  GateMetrics,
  type ObjectLookup,
} from '@greenlight/gate';
import { gateCaches, stopGate } from '@greenlight/test-kit/processes/gate';

type RecordedDecision = Parameters<DecisionRecorder['record']>[1];

/** What the gate saw while deciding one request. */
export interface Observation {
  canary?: Canary;
  target?: V1Deployment;
  /**
   * What the gate's live read returned when it confirmed an allow of its cache (the gate
   * then answers what these decide); `live` says that it read.
   */
  live?: boolean;
  liveCanary?: Canary;
  liveTarget?: V1Deployment;
  decision?: RecordedDecision;
  /** Whether both caches were synced when the decision was recorded. */
  synced?: boolean;
}

export interface ObservedGate {
  url: string;
  port: number;
  canaries: ObjectCache<Canary>;
  deployments: ObjectCache<V1Deployment>;
  observations: Map<string, Observation>;
  logLines: string[];
  stop(): Promise<void>;
}

export const REQUEST_ID = 'x-request-id';

export async function startObservedGate(kc: KubeConfig): Promise<ObservedGate> {
  const context = new AsyncLocalStorage<Observation>();
  const observations = new Map<string, Observation>();
  const logLines: string[] = [];
  const { canaries, deployments } = gateCaches(kc);
  const seen = <T extends KubernetesObject>(
    cache: ObjectLookup<T>,
    slot: 'canary' | 'target',
  ): ObjectLookup<T> => ({
    get synced() {
      return cache.synced;
    },
    get(namespace, name) {
      const object = cache.get(namespace, name);
      const observation = context.getStore();
      if (observation) (observation as Record<string, unknown>)[slot] = object;
      return object;
    },
  });

  class ObservingRecorder extends DecisionRecorder {
    override record(canary: KubernetesObject, decision: RecordedDecision, now?: number): void {
      const observation = context.getStore();
      if (observation) {
        observation.decision = decision;
        observation.synced = canaries.synced && deployments.synced;
      }
      super.record(canary, decision, now);
    }
  }
  const recorder = new ObservingRecorder(createKubeClient(kc), {
    onError: (error) => logLines.push(`could not record event: ${(error as Error).message}`),
  });
  const reader = createObjectReader(kc);
  const live = async <T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined> => {
    const object = await reader<T>(ref);
    const observation = context.getStore();
    if (observation) {
      observation.live = true;
      if (ref.kind === 'Canary') observation.liveCanary = object as Canary | undefined;
      if (ref.kind === 'Deployment') observation.liveTarget = object as V1Deployment | undefined;
    }
    return object;
  };
  const server: Server = createGateServer({
    canaries: seen(canaries, 'canary'),
    deployments: seen(deployments, 'target'),
    live,
    metrics: new GateMetrics(),
    recorder,
    log: (line) => logLines.push(line),
  });
  // Run the gate's own request handler inside a context named by the request's id.
  const [handler] = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const id = req.headers[REQUEST_ID];
    if (typeof id !== 'string') return handler?.(req, res);
    const observation: Observation = {};
    observations.set(id, observation);
    context.run(observation, () => handler?.(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await Promise.all([canaries.start(), deployments.start()]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    canaries,
    deployments,
    observations,
    logLines,
    stop: () => stopGate({ canaries, deployments }, recorder, server),
  };
}
