import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { ROLLOUT_SIGNAL_CHANNEL } from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutSignal } from '@greenlight/backstage-plugin-greenlight-common';
import type { ClusterWatch } from '../service/cluster-watch.ts';
import type { RolloutCache } from '../service/rollout-cache.ts';

// The live pages' push: when what the API answers for a Canary changes in the watches, one
// broadcast signal names the Canary (ROLLOUT_SIGNAL_CHANNEL) and the pages that show it load
// it again. It costs no Kubernetes request: it reads the views the watches already hold.
// A burst (Flagger writes the status, then the route, then an Event) is gathered for
// DEBOUNCE_MS and sends one signal per Canary whose view or history changed; a change
// that leaves the view as it was (a Deployment's status the page does not show) sends
// none. Without Backstage's signals backend the signal goes nowhere, and the pages poll.

export const DEBOUNCE_MS = 150;

export function startRolloutSignals(
  rollouts: RolloutCache,
  signals: SignalsService,
  logger: LoggerService,
): () => void {
  const stops = rollouts.watches().map((cluster) =>
    followCluster(cluster, (message) =>
      signals
        .publish<RolloutSignal>({
          recipients: { type: 'broadcast' },
          channel: ROLLOUT_SIGNAL_CHANNEL,
          message,
        })
        .catch((error: Error) =>
          logger.warn(`Greenlight cannot signal a change: ${error.message}`),
        ),
    ),
  );
  return () => stops.forEach((stop) => stop());
}

function followCluster(cluster: ClusterWatch, send: (message: RolloutSignal) => void): () => void {
  // The last view each Canary was signalled with: views are recomputed only when one of
  // their objects changed, so an unchanged object is the same view, compared by reference
  // before by content.
  const shown = new Map<string, { view: object; json: string }>();
  const touched = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  // The first lists are no change: what they hold is where the signals start from.
  let listed = false;
  void cluster.settled().then(() => {
    for (const canary of cluster.canaries()) {
      const view = cluster.view(canary);
      shown.set(key(view.namespace, view.name), { view, json: JSON.stringify(view) });
    }
    touched.clear();
    listed = true;
  });

  const flush = () => {
    timer = undefined;
    if (!listed) return;
    const present = new Set<string>();
    for (const canary of cluster.canaries()) {
      const view = cluster.view(canary);
      const at = key(view.namespace, view.name);
      present.add(at);
      const before = shown.get(at);
      if (before?.view !== view) {
        const json = JSON.stringify(view);
        shown.set(at, { view, json });
        if (before?.json !== json) touched.add(at);
      }
    }
    for (const at of shown.keys()) {
      if (!present.has(at)) {
        shown.delete(at);
        touched.add(at);
      }
    }
    for (const at of touched) {
      const [namespace = '', name = ''] = at.split('/');
      send({ cluster: cluster.name, namespace, name });
    }
    touched.clear();
  };

  const stop = cluster.onChange((historyOf) => {
    if (historyOf) touched.add(key(historyOf.namespace, historyOf.name));
    timer ??= setTimeout(flush, DEBOUNCE_MS);
  });
  return () => {
    stop();
    clearTimeout(timer);
  };
}
