import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { GoldenMetrics } from '@greenlight/core';
import type { Knex } from 'knex';
import type { RolloutKey } from '../rollout-events/rollouts.ts';
import type { SlackMessage } from './message.ts';

// Where each rollout's message is, in Backstage's database (coreServices.database): the
// `ts` Slack gave it must outlive a restart, or the next backend would post a second
// message for the same rollout. The database rather than an annotation on the Canary: it
// costs no cluster write (Flagger's object stays the gate's and the approvers'), it serves
// every configured cluster alike, and a primary key on the rollout lets one of several
// backend replicas claim a rollout before posting, so they never post twice.

const MESSAGES = 'greenlight_slack_messages';
const SEEN = 'greenlight_slack_seen_requests';

export interface StoredMessage extends RolloutKey {
  channel: string;
  /** Slack's id of the message; undefined while a backend is posting it. */
  ts?: string;
  /** The message as last sent. */
  sent?: SlackMessage;
  /** The golden metrics it showed: its outcome keeps them (after promotion green has none). */
  metrics?: GoldenMetrics;
}

interface Row {
  cluster: string;
  namespace: string;
  name: string;
  revision: string;
  analysis: string;
  channel: string;
  ts: string | null;
  sent: string | null;
  metrics: string | null;
  open: boolean | number;
}

export class MessageStore {
  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  static async open(database: DatabaseService): Promise<MessageStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) await migrate(db);
    return new MessageStore(db);
  }

  /** The messages of a Canary's rollouts that have no outcome yet. */
  async unfinished(where: {
    cluster: string;
    namespace: string;
    name: string;
  }): Promise<StoredMessage[]> {
    const rows: Row[] = await this.#db(MESSAGES).where({ ...where, open: true });
    return rows.map(fromRow);
  }

  /** Claims `key` for posting; false when a message exists or another backend is posting it. */
  async claim(key: RolloutKey, channel: string): Promise<boolean> {
    try {
      await this.#db(MESSAGES).insert({
        ...key,
        channel,
        ts: null,
        sent: null,
        metrics: null,
        open: true,
      });
      return true;
    } catch (error) {
      if (await this.#db(MESSAGES).where(key).first()) return false;
      throw error;
    }
  }

  /** Gives up a claim whose post failed, so that the next round posts again. */
  async release(key: RolloutKey): Promise<void> {
    await this.#db(MESSAGES)
      .where({ ...key, ts: null })
      .delete();
  }

  async sent(
    key: RolloutKey,
    ts: string,
    message: SlackMessage,
    metrics: GoldenMetrics | null,
    open = true,
  ): Promise<void> {
    await this.#db(MESSAGES)
      .where(key)
      .update({
        ts,
        sent: JSON.stringify(message),
        metrics: metrics && JSON.stringify(metrics),
        open,
      });
  }

  /**
   * Records a signed request's signature until it expires; false if it was seen before (a
   * replay). In the database, so a replay to another replica or after a restart is refused too.
   */
  async firstSighting(signature: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    await this.#db(SEEN).where('expires_at', '<', nowMs).delete();
    try {
      await this.#db(SEEN).insert({ signature, expires_at: expiresAtMs });
      return true;
    } catch (error) {
      if (await this.#db(SEEN).where({ signature }).first()) return false;
      throw error;
    }
  }
}

function fromRow(row: Row): StoredMessage {
  return {
    cluster: row.cluster,
    namespace: row.namespace,
    name: row.name,
    revision: row.revision,
    analysis: row.analysis,
    channel: row.channel,
    ...(row.ts ? { ts: row.ts } : {}),
    ...(row.sent ? { sent: JSON.parse(row.sent) as SlackMessage } : {}),
    ...(row.metrics ? { metrics: JSON.parse(row.metrics) as GoldenMetrics } : {}),
  };
}

async function migrate(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable(MESSAGES))) {
    await db.schema.createTable(MESSAGES, (table) => {
      for (const column of ['cluster', 'namespace', 'name', 'revision', 'analysis']) {
        table.string(column, 253).notNullable();
      }
      table.primary(['cluster', 'namespace', 'name', 'revision', 'analysis']);
      table.string('channel').notNullable();
      table.string('ts');
      table.text('sent');
      table.text('metrics');
      table.boolean('open').notNullable();
      table.index(['cluster', 'namespace', 'name', 'open']);
    });
  }
  if (!(await db.schema.hasTable(SEEN))) {
    await db.schema.createTable(SEEN, (table) => {
      table.string('signature', 80).primary();
      table.bigInteger('expires_at').notNullable();
    });
  }
}
