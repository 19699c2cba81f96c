import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { endOf, rolloutKeyOf, whereOf } from '../rollout-events/rollouts.ts';
import type { RolloutKey } from '../rollout-events/rollouts.ts';
import type { FoundRollout, RolloutCache } from '../service/rollout-cache.ts';
import { ownerOf } from '../service/ownership.ts';
import { noticeOf } from './notice.ts';
import type { Transition } from './notice.ts';
import type { NoticeStore } from './notice-store.ts';
import { Rounds } from '../rollout-events/rounds.ts';

// Backstage notifications of rollouts (docs/design.md, "Slack"): each round reads the
// rollouts from the watches, as Slack's live messages do, and tells the owners of a
// Canary's entity (greenlight.dev/owner) when a rollout it saw analysing waits for
// approval, is promoted or is rolled back. A Canary without an owner notifies no one: no
// entity says who its owners are. A rollout that began and ended between two rounds, or
// while no backend ran, was never seen analysing and gets no notice.

export interface RolloutNoticesOptions {
  rollouts: RolloutCache;
  store: NoticeStore;
  notifications: NotificationService;
  /** Whether the catalog holds the entity: the notifications backend finds its owners there. */
  inCatalog: (entityRef: string) => Promise<boolean>;
  intervalMs: number;
  logger: LoggerService;
}

export class RolloutNotices {
  readonly #options: RolloutNoticesOptions;
  readonly #reported = new Set<string>();
  readonly #rounds: Rounds;

  constructor(options: RolloutNoticesOptions) {
    this.#options = options;
    this.#rounds = new Rounds(() => this.round(), options.intervalMs);
  }

  start(): void {
    this.#rounds.start();
  }

  async stop(): Promise<void> {
    await this.#rounds.stop();
  }

  /** One round over every owned rollout; never throws (a failure is logged and retried next round). */
  async round(): Promise<void> {
    let rollouts: FoundRollout[];
    try {
      rollouts = (await this.#options.rollouts.fleet()).rollouts;
    } catch (error) {
      this.#report('the clusters', error);
      return;
    }
    for (const found of rollouts) {
      const owner = ownerOf(found.canary);
      if (!owner) continue;
      try {
        await this.#follow(found, owner);
      } catch (error) {
        this.#report(`Canary ${found.view.namespace}/${found.view.name}`, error);
      }
    }
  }

  async #follow(found: FoundRollout, owner: string): Promise<void> {
    const { store } = this.#options;
    for (const earlier of await store.open(whereOf(found))) {
      const end = endOf(earlier, found);
      if (!end || !(await store.claimEnd(earlier, end))) continue;
      if (end === 'succeeded' || end === 'failed') {
        await this.#send(end, earlier, found, owner, () => store.release(earlier, 'end'));
      }
    }
    const key = rolloutKeyOf(found);
    if (!key) return;
    await store.follow(key);
    if (found.view.waitingForApproval && (await store.claimWaiting(key))) {
      await this.#send('waiting', key, found, owner, () => store.release(key, 'waiting'));
    }
  }

  async #send(
    transition: Transition,
    key: RolloutKey,
    found: FoundRollout,
    owner: string,
    release: () => Promise<void>,
  ): Promise<void> {
    try {
      // Sent to an entity the catalog does not hold (yet: it reads its locations after the
      // backend starts), a notice would reach no one; it waits for a round that finds it.
      if (!(await this.#options.inCatalog(owner))) {
        throw new Error(`the catalog has no entity ${owner}`);
      }
      await this.#options.notifications.send({
        recipients: { type: 'entity', entityRef: owner },
        payload: noticeOf(transition, key, found.view, owner),
      });
    } catch (error) {
      await release();
      throw error;
    }
  }

  // A failing cluster or notifications backend is said once per distinct failure, not every round.
  #report(what: string, error: unknown): void {
    const line = `${what}: ${(error as Error).message}`;
    if (this.#reported.has(line)) return;
    this.#reported.add(line);
    this.#options.logger.warn(`Greenlight cannot notify the owners of ${line}`);
  }
}
