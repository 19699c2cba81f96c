import { NotFoundError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RolloutView } from '@greenlight/core';
import { lastProbeRuns } from '@greenlight/backstage-plugin-greenlight-common';
import type {
  Freshness,
  HistoryEntry,
  ProbeRunEntry,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { ClusterConfig } from '../config.ts';
import { ClusterWatch } from './cluster-watch.ts';
import type { FlaggerCanary } from './cluster-watch.ts';
import { kubernetesUnavailable } from './errors.ts';
import { eventsAbout, HISTORY_LIMIT } from './history.ts';
import { kubeConfigOf } from './kubeconfig.ts';

export interface FoundRollout {
  cluster: ClusterWatch;
  canary: FlaggerCanary;
  view: RolloutView;
}

/**
 * Every configured cluster's rollouts, from watches. A cluster that cannot be reached
 * answers with a KubernetesUnavailableError until it has been listed once; after that its
 * last known state is served, marked not synced (a dashboard prefers stale data to none).
 */
export class RolloutCache {
  readonly #clusters: ClusterWatch[];
  readonly #logger: LoggerService;

  constructor(clusters: ClusterConfig[], logger: LoggerService) {
    this.#logger = logger;
    this.#clusters = clusters.map((cluster) => {
      const reported = new Set<string>();
      return new ClusterWatch(
        cluster.name,
        kubeConfigOf(cluster),
        cluster.namespaces,
        (kind, error) => {
          // A watch retries by itself; say each distinct failure once, not every backoff.
          const line = `${kind}: ${error.message}`;
          if (reported.has(line)) return;
          reported.add(line);
          logger.warn(
            `Greenlight cannot watch ${kind} in cluster "${cluster.name}": ${error.message}`,
          );
        },
      );
    });
  }

  clusterNames(): string[] {
    return this.#clusters.map((cluster) => cluster.name);
  }

  /** Every cluster's watch, synced or not (to follow its changes). */
  watches(): ClusterWatch[] {
    return this.#clusters;
  }

  /** The clusters that can answer now; throws when one was never listed. */
  async ready(): Promise<ClusterWatch[]> {
    await Promise.all(this.#clusters.map((cluster) => cluster.settled()));
    for (const cluster of this.#clusters) {
      if (!cluster.everSynced) {
        throw kubernetesUnavailable(
          cluster.lastError ?? new Error(`cluster "${cluster.name}" has not been listed yet`),
          cluster.name,
        );
      }
    }
    return this.#clusters;
  }

  async fleet(): Promise<{ rollouts: FoundRollout[]; freshness: Freshness[] }> {
    const clusters = await this.ready();
    const rollouts = clusters.flatMap((cluster) =>
      cluster.canaries().map((canary) => ({ cluster, canary, view: cluster.view(canary) })),
    );
    return { rollouts, freshness: clusters.map((cluster) => cluster.freshness()) };
  }

  /**
   * Refuses a cluster name that is not configured. It says nothing about Canaries, so it may
   * run before the permission check.
   */
  checkCluster(clusterName: string | undefined): void {
    if (clusterName === undefined || this.clusterNames().includes(clusterName)) return;
    throw new NotFoundError(
      `there is no cluster "${clusterName}" in greenlight.clusters (known: ${this.clusterNames().join(', ')})`,
    );
  }

  /**
   * Canary `namespace/name` of cluster `clusterName`, or undefined. Only after the
   * permission check: whether it exists is not for everyone to learn (docs/design.md, the approval protocol).
   */
  async lookup(
    clusterName: string,
    namespace: string,
    name: string,
  ): Promise<FoundRollout | undefined> {
    const cluster = (await this.ready()).find((candidate) => candidate.name === clusterName);
    const canary = cluster?.canary(namespace, name);
    return cluster && canary ? { cluster, canary, view: cluster.view(canary) } : undefined;
  }

  /**
   * From the Events the watch already holds: the newest of them as history, and per
   * revision its last probe run, read from all of them (a busy analysis pushes older
   * revisions' runs out of the history shown).
   */
  canaryEvents(found: FoundRollout): { history: HistoryEntry[]; probes: ProbeRunEntry[] } {
    const { namespace = '', name = '' } = found.canary.metadata ?? {};
    const events = eventsAbout(found.cluster.events(namespace), namespace, name);
    return { history: events.slice(0, HISTORY_LIMIT), probes: lastProbeRuns(events) };
  }

  stop(): void {
    this.#logger.debug('Greenlight stops its watches');
    for (const cluster of this.#clusters) cluster.stop();
  }
}
