import type { LoggerService } from '@backstage/backend-plugin-api';
import { analysisOf } from '@greenlight/core';
import type { GoldenMetrics } from '@greenlight/core';
import type { FoundRollout, RolloutCache } from '../service/rollout-cache.ts';
import { clusterRefKey, clusterRefOf } from '../service/metrics-service.ts';
import type { MetricsService } from '../service/metrics-service.ts';
import { renderMessage } from './message.ts';
import type { SlackMessage } from './message.ts';
import { endOf, rolloutKeyOf, sameRollout, whereOf } from '../rollout-events/rollouts.ts';
import type { RolloutKey } from '../rollout-events/rollouts.ts';
import type { MessageStore, StoredMessage } from './message-store.ts';
import { routeFor } from './slack-config.ts';
import type { SlackChannelRoute } from './slack-config.ts';
import type { SlackClient } from './slack-client.ts';
import { Rounds } from '../rollout-events/rounds.ts';

// One Slack message per rollout, updated in place. Each round (every
// greenlight.slack.updateIntervalSeconds) reads the rollouts from the watches, renders each
// routed rollout's message and sends it only if it differs from the one last sent: the
// message follows Flagger at most once a round whatever Flagger's interval, and an unchanged
// rollout costs no Slack call. A rollout is a revision's analysis run (message-store.ts);
// its message gets its outcome when Flagger promotes or rolls it back, or says which
// revision replaced it.

export interface LiveMessagesOptions {
  rollouts: RolloutCache;
  metrics: MetricsService;
  store: MessageStore;
  slack: SlackClient;
  channels: SlackChannelRoute[];
  intervalMs: number;
  window: string;
  logger: LoggerService;
}

export class LiveMessages {
  readonly #options: LiveMessagesOptions;
  readonly #reported = new Set<string>();
  readonly #rounds: Rounds;

  constructor(options: LiveMessagesOptions) {
    this.#options = options;
    this.#rounds = new Rounds(() => this.round(), options.intervalMs);
  }

  start(): void {
    this.#rounds.start();
  }

  async stop(): Promise<void> {
    await this.#rounds.stop();
  }

  /** One round over every routed rollout; never throws (a failure is logged and retried next round). */
  async round(): Promise<void> {
    let rollouts: FoundRollout[];
    try {
      rollouts = (await this.#options.rollouts.fleet()).rollouts;
    } catch (error) {
      this.#report('the clusters', error);
      return;
    }
    const routed = rollouts.flatMap((found) => {
      const route = routeFor(this.#options.channels, whereOf(found));
      return route ? [{ found, route }] : [];
    });
    const live = routed.filter(({ found }) => rolloutKeyOf(found) !== undefined);
    const golden = await this.#options.metrics.fleet(
      live.map(({ found }) => clusterRefOf(found.cluster.name, found.canary)),
      this.#options.window,
    );
    for (const { found, route } of routed) {
      const metrics =
        golden.metrics?.get(clusterRefKey(clusterRefOf(found.cluster.name, found.canary))) ?? null;
      try {
        await this.#follow(found, route, metrics);
      } catch (error) {
        this.#report(`Canary ${found.view.namespace}/${found.view.name} (${route.channel})`, error);
      }
    }
  }

  async #follow(
    found: FoundRollout,
    route: SlackChannelRoute,
    metrics: GoldenMetrics | null,
  ): Promise<void> {
    const { store, slack } = this.#options;
    const key = rolloutKeyOf(found);
    const view = found.view;
    const probes = this.#options.rollouts
      .canaryEvents(found)
      .probes.filter((run) => run.revision === view.revision);

    for (const earlier of await store.unfinished(whereOf(found))) {
      if (!earlier.ts) continue;
      const end = endOf(earlier, found);
      const outcome =
        end === 'succeeded' || end === 'failed'
          ? renderMessage({
              cluster: found.cluster.name,
              view,
              metrics: earlier.metrics ?? null,
              probes,
            })
          : end === 'superseded'
            ? ended(earlier, `superseded by revision ${view.revision}`)
            : end === 'restarted'
              ? ended(
                  earlier,
                  `ended: Flagger began another analysis of revision ${earlier.revision}`,
                )
              : undefined;
      if (!outcome) continue;
      await slack.update(earlier.channel, earlier.ts, outcome);
      await store.sent(keyFields(earlier), earlier.ts, outcome, earlier.metrics ?? null, false);
    }

    if (!key) return;
    const analysis = analysisOf(found.canary)!;
    const message = renderMessage({
      cluster: found.cluster.name,
      view,
      metrics,
      probes,
      ...(view.waitingForApproval ? { buttons: { ...key, checksum: analysis.checksum } } : {}),
    });
    const stored = (await store.unfinished(whereOf(found))).find((m) => sameRollout(m, key));
    if (!stored) {
      if (!(await store.claim(key, route.channel))) return;
      let ts: string;
      try {
        ts = await slack.post(route.channel, message);
      } catch (error) {
        await store.release(key);
        throw error;
      }
      await store.sent(key, ts, message, metrics);
      return;
    }
    if (!stored.ts || sameMessage(stored.sent, message)) return;
    await slack.update(stored.channel, stored.ts, message);
    await store.sent(key, stored.ts, message, metrics);
  }

  // A failing channel or cluster is said once per distinct failure, not every round.
  #report(what: string, error: unknown): void {
    const line = `${what}: ${(error as Error).message}`;
    if (this.#reported.has(line)) return;
    this.#reported.add(line);
    this.#options.logger.warn(`Greenlight cannot keep the Slack message of ${line}`);
  }
}

function keyFields(message: StoredMessage): RolloutKey {
  const { cluster, namespace, name, revision, analysis } = message;
  return { cluster, namespace, name, revision, analysis };
}

const sameMessage = (a: SlackMessage | undefined, b: SlackMessage) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** The last message sent for a rollout that is over, without its buttons, saying why. */
function ended(earlier: StoredMessage, why: string): SlackMessage | undefined {
  if (!earlier.sent) return undefined;
  const blocks = earlier.sent.blocks.filter(
    (block) => (block as { type?: string }).type !== 'actions',
  );
  return {
    text: `${earlier.name} revision ${earlier.revision}: ${why}`,
    blocks: [...blocks, { type: 'section', text: { type: 'mrkdwn', text: `*${why}*` } }],
  };
}
