// The stand-in for the Linkerd proxies: the sandbox's traffic model served in the proxy's
// /metrics format, driven by the real cluster. Its weights are the ones Flagger wrote on
// the TrafficSplit or HTTPRoute, its per-Deployment behaviour the pod template's
// `sandbox.greenlight.dev/behaviour` annotation — so `<name>` and `<name>-primary` answer
// as the revision each of them runs, and a promotion carries the behaviour along.
import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { liveWeights, ObjectCache, serviceNames } from '@greenlight/core';
import {
  behaviourOf,
  startMetricsServer,
  TrafficModel,
  type MetricsServer,
} from '@greenlight/sandbox';

export interface Exporter {
  /** Base URL; Prometheus scrapes `<url>/metrics`. */
  url: string;
  model: TrafficModel;
  stop(): Promise<void>;
}

export async function startExporter(
  kc: KubeConfig,
  log: (line: string) => void,
): Promise<Exporter> {
  const model = new TrafficModel({ seed: 7 });
  const onError = (error: Error) => log(`exporter: watch: ${error.message}`);
  const canaries = new ObjectCache<Canary>(
    kc,
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
    { onError },
  );
  const splits = new ObjectCache<TrafficSplit>(
    kc,
    { apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit' },
    { onError },
  );
  const routes = new ObjectCache<HTTPRoute>(
    kc,
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    { onError },
  );
  const deployments = new ObjectCache<V1Deployment>(
    kc,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { onError },
  );
  const caches = [canaries, splits, routes, deployments];

  const applied = new Map<string, string>();
  const sync = () => {
    for (const deployment of deployments.list()) {
      const { namespace = '', name = '' } = deployment.metadata ?? {};
      try {
        const behaviour = behaviourOf(deployment);
        const key = `${namespace}/${name}`;
        if (applied.get(key) !== JSON.stringify(behaviour)) {
          model.setBehaviour(namespace, name, behaviour);
          applied.set(key, JSON.stringify(behaviour));
          log(`exporter: ${key} behaves ${JSON.stringify(behaviour)}`);
        }
      } catch (error) {
        log(`exporter: ${(error as Error).message}`);
      }
    }
    for (const canary of canaries.list()) {
      const namespace = canary.metadata?.namespace ?? '';
      const apex = serviceNames(canary).apex;
      // Before Flagger's first route the mesh has no split; the model sends no traffic.
      const route = splits.get(namespace, apex) ?? routes.get(namespace, apex);
      if (!route) continue;
      const weights = liveWeights(canary, route);
      const target = canary.spec.targetRef.name;
      const before = model.weights(namespace, target);
      if (before?.blue !== weights.blue || before?.green !== weights.green) {
        model.setWeights(namespace, target, { blue: weights.blue, green: weights.green });
        log(`exporter: ${namespace}/${target} weights blue ${weights.blue} green ${weights.green}`);
      }
    }
  };
  for (const cache of caches) cache.onChange(sync);
  await Promise.all(caches.map((cache) => cache.start({ timeoutMs: 30_000 })));
  sync();

  const server: MetricsServer = await startMetricsServer({ model });
  return {
    url: server.url,
    model,
    async stop() {
      for (const cache of caches) cache.stop();
      await server.close();
    },
  };
}
