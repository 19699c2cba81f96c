import type { KubeConfig, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { FLAGGER_API_VERSION } from 'flagger-types';
import { liveWeights, ObjectCache } from '@greenlight/core';
import { behaviourOf, type TrafficModel } from '../metrics/index.ts';

// Not Flagger: a stand-in for Linkerd's proxies and a load tester. It watches what a mesh
// would act on and feeds the traffic model: the weights of each Canary's TrafficSplit or
// HTTPRoute, each Deployment's behaviour (its pod-template annotation), and — for a
// blue/green Canary whose target runs — load-test traffic straight to the canary, the
// flagger-loadtester that Flagger's docs pair with `iterations`.

export interface MeshOptions {
  kubeconfig: KubeConfig;
  model: TrafficModel;
  /** Requests per second the load tester sends to a blue/green canary; default 10. */
  loadTestRps?: number;
  log?: (line: string) => void;
}

export interface Mesh {
  ready: Promise<void>;
  stop(): void;
}

type Route = (TrafficSplit | HTTPRoute) & KubernetesObject;

export function startMesh(options: MeshOptions): Mesh {
  const { kubeconfig, model } = options;
  const loadTestRps = options.loadTestRps ?? 10;
  const canaries = new ObjectCache<Canary>(kubeconfig, {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
  });
  const deployments = new ObjectCache<V1Deployment>(kubeconfig, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  const splits = new ObjectCache<Route>(kubeconfig, {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
  });
  // Served as v1 and v1beta1 but stored once: one watch sees both.
  const routes = new ObjectCache<Route>(kubeconfig, {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'HTTPRoute',
  });
  const caches = [canaries, deployments, splits, routes] as ObjectCache[];

  const sync = () => {
    for (const canary of canaries.list()) {
      const namespace = canary.metadata.namespace ?? '';
      const name = canary.spec.targetRef.name;
      const apex = canary.spec.service?.name || name;
      const route = splits.get(namespace, apex) ?? routes.get(namespace, apex);
      if (route) {
        const weights = liveWeights(canary, route);
        if (weights.source === 'route') model.setWeights(namespace, name, weights);
      }
      const target = deployments.get(namespace, name);
      const blueGreen = (canary.spec.analysis?.iterations ?? 0) > 0;
      const running = (target?.spec?.replicas ?? 1) > 0;
      model.setCanaryLoad(namespace, name, blueGreen && target && running ? loadTestRps : 0);
    }
    for (const deployment of deployments.list()) {
      const { namespace = '', name = '' } = deployment.metadata ?? {};
      try {
        model.setBehaviour(namespace, name, behaviourOf(deployment));
      } catch (error) {
        options.log?.(`mesh: ${(error as Error).message}; keeping its previous behaviour`);
      }
    }
  };
  for (const cache of caches) cache.onChange(sync);

  return {
    ready: Promise.all(caches.map((cache) => cache.start())).then(sync),
    stop() {
      for (const cache of caches) cache.stop();
    },
  };
}
