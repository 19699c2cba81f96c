import { durationSeconds, refKey } from '@greenlight/core';
import type { GoldenMetrics, MetricsRef, MetricsSource } from '@greenlight/core';
import type {
  MetricsProblem,
  MetricsResponse,
  MetricsSourceName,
} from '@greenlight/backstage-plugin-greenlight-common';
import { AnswerCache } from './answer-cache.ts';
import type { FlaggerCanary } from './cluster-watch.ts';
import { metricsUnavailable } from './errors.ts';
import { thresholdsOf } from './thresholds.ts';

export interface MetricsServiceOptions {
  /** Each cluster's Prometheus, by cluster name: a Canary's metrics come from its own cluster's. */
  sources: Map<string, MetricsSource>;
  sourceName: MetricsSourceName;
  /** How long an answer is reused as it is; default 5 s, the frontend's polling interval. */
  ttlMs?: number;
  /**
   * How old an answer may be and still be served at once while the next one loads
   * (stale-while-revalidate); default 30 s. No page ever shows metrics older than this.
   */
  staleMs?: number;
  now?: () => number;
}

/** The Deployments' names come from the target: blue is `<target>-primary`, green `<target>`. */
export function metricsRefOf(canary: FlaggerCanary): MetricsRef {
  return {
    namespace: canary.metadata?.namespace ?? '',
    name: canary.spec?.targetRef?.name || canary.metadata?.name || '',
  };
}

/** A Canary's metrics ref in the cluster it runs in. */
export interface ClusterRef extends MetricsRef {
  cluster: string;
}

export function clusterRefOf(cluster: string, canary: FlaggerCanary): ClusterRef {
  return { cluster, ...metricsRefOf(canary) };
}

export function clusterRefKey(ref: ClusterRef): string {
  return `${ref.cluster}/${refKey(ref)}`;
}

/** About 60 points per chart, but no step under 15 s (Linkerd's default scrape interval is 10 s). */
export function stepFor(window: string): number {
  return Math.max(15, Math.ceil(durationSeconds(window) / 60));
}

/**
 * Golden metrics for the pages. A fleet page is one round of core's fleet queries for every
 * chatbot at once (2 queries, whatever the fleet's size), and answers are shared for
 * `ttlMs`, so many people polling the same page cost one round per interval. After that
 * the last answer is still served at once while the next round loads (answer-cache.ts),
 * so a page view waits on Prometheus only when no answer younger than `staleMs` exists.
 */
export class MetricsService {
  readonly sourceName: MetricsSourceName;
  readonly #sources: Map<string, MetricsSource>;
  readonly #answers: AnswerCache;

  constructor(options: MetricsServiceOptions) {
    this.#sources = options.sources;
    this.sourceName = options.sourceName;
    this.#answers = new AnswerCache({
      freshMs: options.ttlMs ?? 5000,
      staleMs: options.staleMs ?? 30_000,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Every ref's metrics, or a problem saying why there are none. Never throws for Prometheus. */
  /**
   * Keyed by clusterRefKey: a Canary of the same name in two clusters has two answers. One
   * round per cluster (2 queries each), the clusters' rounds at once.
   */
  async fleet(
    refs: ClusterRef[],
    window: string,
  ): Promise<{ metrics: Map<string, GoldenMetrics> | null; problem?: MetricsProblem }> {
    const byCluster = new Map<string, MetricsRef[]>();
    for (const { cluster, ...ref } of refs)
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), ref]);
    try {
      const answers = await Promise.all(
        [...byCluster].map(async ([cluster, clusterRefs]) => {
          const key = `fleet ${cluster} ${window} ${clusterRefs.map(refKey).sort().join(',')}`;
          const found = await this.#shared(key, () =>
            this.#source(cluster).fleet(clusterRefs, window),
          );
          return clusterRefs.map(
            (ref) => [clusterRefKey({ cluster, ...ref }), found.get(refKey(ref))!] as const,
          );
        }),
      );
      return { metrics: new Map(answers.flat()) };
    } catch (error) {
      return { metrics: null, problem: { message: metricsUnavailable(error).message } };
    }
  }

  /** One chatbot: current values, a series over the window, and the analysis thresholds. */
  async detail(cluster: string, canary: FlaggerCanary, window: string): Promise<MetricsResponse> {
    const ref = metricsRefOf(canary);
    const key = `detail ${cluster} ${window} ${refKey(ref)}`;
    const source = this.#source(cluster);
    try {
      const [current, series] = await this.#shared(key, () =>
        Promise.all([source.golden(ref, window), source.series(ref, window, stepFor(window))]),
      );
      return { current, series, thresholds: thresholdsOf(canary), source: this.sourceName };
    } catch (error) {
      throw metricsUnavailable(error);
    }
  }

  #source(cluster: string): MetricsSource {
    const source = this.#sources.get(cluster);
    if (!source) throw new Error(`cluster "${cluster}" has no Prometheus configured`);
    return source;
  }

  #shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#answers.get(key, load);
  }
}
