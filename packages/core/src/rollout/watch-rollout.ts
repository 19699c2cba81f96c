import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION } from 'flagger-types';
import { ObjectCache } from '../kube/cache.ts';
import { interpret } from './interpret.ts';
import { rolloutInput, type FlaggerCanary, type RouteObject } from './read.ts';
import { routeTypeOf } from './route-type.ts';
import type { RolloutView } from './view.ts';

export interface RolloutWatcher {
  /** Resolves once every watch has listed its objects. */
  ready: Promise<void>;
  stop(): void;
}

/**
 * Watches the Canary `ref`, its route and its Deployments, and calls `onView` with the
 * rollout's view after every change (undefined once the Canary is deleted). Watches, not
 * polls: Flagger writes status once per analysis interval, and a poll would miss phases.
 */
export function watchRollout(
  kc: KubeConfig,
  ref: { namespace: string; name: string },
  provider: string | undefined,
  onView: (view: RolloutView | undefined) => void,
): RolloutWatcher {
  const scope = { namespace: ref.namespace };
  const canaries = new ObjectCache<FlaggerCanary>(kc, {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    ...scope,
  });
  const deployments = new ObjectCache<V1Deployment>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    ...scope,
  });
  const routes = new ObjectCache<RouteObject>(kc, { ...routeTypeOf(provider), ...scope });
  const caches = [canaries, deployments, routes];

  const update = () => {
    // Between a dropped watch and its relist a cache may lag; wait rather than print a mix.
    if (!caches.every((cache) => cache.synced)) return;
    const canary = canaries.get(ref.namespace, ref.name);
    if (!canary) return onView(undefined);
    onView(
      interpret(
        rolloutInput(canary, {
          route: ({ namespace, name }) => routes.get(namespace, name),
          deployment: ({ namespace, name }) => deployments.get(namespace, name),
        }),
      ),
    );
  };
  for (const cache of caches) {
    cache.onChange(update);
    // A change that came while another cache was catching up is shown once it has.
    cache.onSync(update);
  }
  const ready = Promise.all(caches.map((cache) => cache.start())).then(update);
  return {
    ready,
    stop: () => {
      for (const cache of caches) cache.stop();
    },
  };
}
