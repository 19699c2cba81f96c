import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { CanaryWhere, RolloutEnd, RolloutKey } from '../rollout-events/rollouts.ts';

// Which notifications were sent, in Backstage's database (coreServices.database), so that
// each transition is notified once even across a restart or by several backend replicas:
// a row per rollout seen analysing, and each transition claimed by an update that only
// one backend can win before it sends (as the Slack messages' store claims a post).

const ROLLOUTS = 'greenlight_notified_rollouts';

interface Row extends RolloutKey {
  waiting: boolean | number;
  end: RolloutEnd | null;
}

export class NoticeStore {
  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  static async open(database: DatabaseService): Promise<NoticeStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) await migrate(db);
    return new NoticeStore(db);
  }

  /** Remembers a rollout seen analysing, whose end is to be notified. */
  async follow(key: RolloutKey): Promise<void> {
    await this.#db(ROLLOUTS)
      .insert({ ...key, waiting: false, end: null })
      .onConflict()
      .ignore();
  }

  /** The followed rollouts of a Canary that have not ended. */
  async open(where: CanaryWhere): Promise<RolloutKey[]> {
    const rows: Row[] = await this.#db(ROLLOUTS).where({ ...where, end: null });
    return rows.map(({ cluster, namespace, name, revision, analysis }) => ({
      cluster,
      namespace,
      name,
      revision,
      analysis,
    }));
  }

  /** Claims the notice that `key` waits for approval; false when it was claimed before. */
  async claimWaiting(key: RolloutKey): Promise<boolean> {
    return (
      (await this.#db(ROLLOUTS)
        .where({ ...key, waiting: false })
        .update({ waiting: true })) === 1
    );
  }

  /** Claims the notice of how `key` ended; false when another backend recorded its end first. */
  async claimEnd(key: RolloutKey, end: RolloutEnd): Promise<boolean> {
    return (
      (await this.#db(ROLLOUTS)
        .where({ ...key, end: null })
        .update({ end })) === 1
    );
  }

  /** Gives up a claim whose notice could not be sent, so that the next round sends it. */
  async release(key: RolloutKey, claim: 'waiting' | 'end'): Promise<void> {
    await this.#db(ROLLOUTS)
      .where(key)
      .update(claim === 'waiting' ? { waiting: false } : { end: null });
  }
}

async function migrate(db: Knex): Promise<void> {
  if (await db.schema.hasTable(ROLLOUTS)) return;
  await db.schema.createTable(ROLLOUTS, (table) => {
    for (const column of ['cluster', 'namespace', 'name', 'revision', 'analysis']) {
      table.string(column, 253).notNullable();
    }
    table.primary(['cluster', 'namespace', 'name', 'revision', 'analysis']);
    table.boolean('waiting').notNullable();
    table.string('end', 16);
    table.index(['cluster', 'namespace', 'name', 'end']);
  });
}
