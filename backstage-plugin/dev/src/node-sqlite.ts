// The dev app's databases: one in-memory SQLite database per plugin, on Node's built-in
// `node:sqlite`. Backstage's own SQLite client (better-sqlite3) is a native module that npm
// builds for the Node that ran the install — here the system's Node 20, not the Node 24
// that runs the app — so it fails to load. knex's better-sqlite3 dialect is reused with a
// driver of the same shape over node:sqlite: `prepare`, `reader`, `all`/`run` with an
// array of bindings, `close`.
import { createRequire } from 'node:module';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import knexFactory, { type Knex } from 'knex';

const require = createRequire(import.meta.url);
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3') as new (
  config: Knex.Config,
) => Knex.Client;

type Binding = null | number | bigint | string | Uint8Array;

class Statement {
  readonly reader: boolean;
  readonly #statement: StatementSync;
  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.reader = statement.columns().length > 0;
  }
  all(bindings: Binding[]) {
    return this.#statement.all(...bindings);
  }
  run(bindings: Binding[]) {
    return this.#statement.run(...bindings);
  }
}

class NodeSqliteDatabase {
  readonly #db: DatabaseSync;
  constructor(filename: string, options: { readonly?: boolean }) {
    this.#db = new DatabaseSync(filename, { readOnly: Boolean(options.readonly) });
  }
  prepare(sql: string) {
    return new Statement(this.#db.prepare(sql));
  }
  close() {
    this.#db.close();
  }
}

// One database per client, opened with it and handed to the pool as its one connection:
// the pool may let that connection go when idle (so a stopped app leaves no timer running)
// without losing the in-memory data. Like Backstage's own SQLite setup, nothing is ever
// destroyed: destroying a pool aborts the queries still queued for it.
class NodeSqliteClient extends BetterSqlite3Client {
  #database = new NodeSqliteDatabase(':memory:', {});
  _driver() {
    return NodeSqliteDatabase;
  }
  override async acquireRawConnection() {
    return this.#database;
  }
  override async destroyRawConnection() {}
}

/** An in-memory SQLite database, for as long as this client lives (tests reuse it across backends). */
export function inMemoryKnex(): Knex {
  const knex = knexFactory({
    client: NodeSqliteClient as unknown as typeof Knex.Client,
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    // One connection at a time: SQLite serializes writers anyway, and a transaction must
    // not interleave with another query on the same database.
    pool: { min: 0, max: 1, idleTimeoutMillis: 1000 },
  });
  // Plugins' migrations pick their SQL by the client's name, e.g. the catalog's and the
  // auth backend's `knex.client.config.client.includes('sqlite3')`.
  knex.client.config.client = 'better-sqlite3';
  return knex;
}

/** `coreServices.database` for the dev app: each plugin its own in-memory database. */
export const inMemoryDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: { plugin: coreServices.pluginMetadata },
  createRootContext() {
    return new Map<string, Knex>();
  },
  factory({ plugin }, clients) {
    return {
      async getClient() {
        let client = clients.get(plugin.getId());
        if (!client) {
          client = inMemoryKnex();
          clients.set(plugin.getId(), client);
        }
        return client;
      },
    };
  },
});
