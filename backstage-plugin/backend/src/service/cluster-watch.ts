import type {
  CoreV1Event,
  KubeConfig,
  KubernetesObject,
  V1Deployment,
} from '@kubernetes/client-node';
import { FLAGGER_API_VERSION } from 'flagger-types';
import { createKubeClient, interpret, rolloutInput, routeTypeOf } from '@greenlight/core';
import type { FlaggerCanary, KubeClient, RolloutView, RouteObject } from '@greenlight/core';
import type { Freshness } from '@greenlight/backstage-plugin-greenlight-common';
import { WatchedKind } from './watched-kind.ts';

export type { FlaggerCanary } from '@greenlight/core';

// The routes of every Canary are watched in one version per kind, core's default for a
// provider without one: Gateway API's CRD serves v1beta1 alongside v1 for the same objects,
// and Flagger's SMI router writes v1alpha1.
const TRAFFIC_SPLIT = routeTypeOf('linkerd');
const HTTP_ROUTE = routeTypeOf('gatewayapi');

/**
 * Everything a rollout view needs from one cluster, kept current by watches: Canaries,
 * Deployments (green = the target, blue = `-primary`), the routes with the live weights,
 * and Events (the history). Reads are from memory — a page view costs no Kubernetes
 * request — and views are recomputed only when one of their objects changed.
 */
export class ClusterWatch {
  readonly name: string;
  /** For the writes (approve, abort), which go to the API server. */
  readonly kube: KubeClient;
  readonly #canaries: WatchedKind<FlaggerCanary>;
  readonly #deployments: WatchedKind<V1Deployment>;
  readonly #splits: WatchedKind<RouteObject>;
  readonly #httpRoutes: WatchedKind<RouteObject>;
  readonly #events: WatchedKind<CoreV1Event>;
  readonly #views = new Map<string, { version: string; view: RolloutView }>();

  constructor(
    name: string,
    kc: KubeConfig,
    namespaces: string[],
    onError: (kind: string, error: Error) => void,
  ) {
    this.name = name;
    this.kube = createKubeClient(kc);
    const watch = <T extends KubernetesObject>(apiVersion: string, kind: string) =>
      new WatchedKind<T>(kc, { apiVersion, kind }, namespaces, (error) => onError(kind, error));
    this.#canaries = watch(FLAGGER_API_VERSION, 'Canary');
    this.#deployments = watch('apps/v1', 'Deployment');
    // A cluster without the SMI or Gateway API CRDs only logs their watch failing.
    this.#splits = watch(TRAFFIC_SPLIT.apiVersion, TRAFFIC_SPLIT.kind);
    this.#httpRoutes = watch(HTTP_ROUTE.apiVersion, HTTP_ROUTE.kind);
    this.#events = watch('v1', 'Event');
  }

  /** Resolves once every kind has been listed, or failed to be, once. */
  async settled(): Promise<void> {
    await Promise.all(this.#kinds().map((kind) => kind.settled()));
  }

  /** Whether the views are complete: Canaries and Deployments synced. */
  freshness(): Freshness {
    const synced = this.#canaries.synced && this.#deployments.synced;
    const problem = this.#canaries.lastError ?? this.#deployments.lastError;
    return {
      cluster: this.name,
      synced,
      ...(!synced && problem ? { problem: problem.message } : {}),
    };
  }

  /** Whether the Canary list was ever complete; if not, there is nothing to show. */
  get everSynced(): boolean {
    return this.#canaries.synced || this.#canaries.list().length > 0;
  }

  get lastError(): Error | undefined {
    return this.#canaries.lastError ?? this.#deployments.lastError;
  }

  canary(namespace: string, name: string): FlaggerCanary | undefined {
    return this.#canaries.get(namespace, name);
  }

  canaries(): FlaggerCanary[] {
    return this.#canaries.list();
  }

  view(canary: FlaggerCanary): RolloutView {
    const objects = rolloutInput(canary, {
      route: ({ kind, namespace, name }) =>
        (kind === 'HTTPRoute' ? this.#httpRoutes : this.#splits).get(namespace, name),
      deployment: ({ namespace, name }) => this.#deployments.get(namespace, name),
    });
    // Cached objects are frozen and replaced on change, so resourceVersions identify them.
    const version = [objects.canary, objects.route, objects.target, objects.primary]
      .map((object) => (object as KubernetesObject | undefined)?.metadata?.resourceVersion ?? '-')
      .join('/');
    const key = `${canary.metadata?.namespace ?? ''}/${canary.metadata?.name ?? ''}`;
    const known = this.#views.get(key);
    if (known?.version === version) return known.view;
    const view = interpret(objects);
    this.#views.set(key, { version, view });
    return view;
  }

  /**
   * Calls `listener` after any change the watches apply to what a rollout page shows:
   * Canaries, Deployments, routes (the views), and Events about a Canary (its history,
   * named as `historyOf`). Returns the function that stops listening.
   */
  onChange(listener: (historyOf?: { namespace: string; name: string }) => void): () => void {
    const stops = [
      ...[this.#canaries, this.#deployments, this.#splits, this.#httpRoutes].map((kind) =>
        (kind as WatchedKind<KubernetesObject>).onChange(() => listener()),
      ),
      this.#events.onChange(({ object }) => {
        const about = object.involvedObject;
        if (about?.kind === 'Canary') {
          listener({ namespace: about.namespace ?? '', name: about.name ?? '' });
        }
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  events(namespace: string): CoreV1Event[] {
    return this.#events.list(namespace);
  }

  stop(): void {
    for (const kind of this.#kinds()) kind.stop();
  }

  #kinds(): Pick<WatchedKind<KubernetesObject>, 'settled' | 'stop'>[] {
    return [this.#canaries, this.#deployments, this.#splits, this.#httpRoutes, this.#events];
  }
}
