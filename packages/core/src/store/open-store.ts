// Opens a Store on SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg pool).

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { coreChannels } from '../diagnostics.js';
import { CoreError } from '../errors/core-error.js';
import { channel } from 'node:diagnostics_channel';
import {
  assertIdentifiers,
  postgresInsertMany,
  sqliteInsertMany,
  type BulkValue,
  type InsertRows,
} from './insert-many.js';
import { PG_MIGRATION_LOCK, applyMigrations, assertMigrationSet } from './migrations.js';
import type { Store, TransactionOptions } from './store.js';
import { parseStoreUrl, type Backend } from './store-url.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /**
   * SQLite `synchronous` pragma. `NORMAL` (default) keeps every committed transaction across a
   * process crash (WAL); `FULL` also across a power loss, at the price of an fsync per commit.
   */
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /**
   * SQLite busy timeout in ms: how long a writer waits for another process's lock. Default 10000.
   */
  sqliteBusyTimeoutMs?: number;
  /** Clock for migration timestamps. */
  clock?: Clock;
}

const INT8_OID = 20;

/**
 * Opens a store.
 *
 * - `sqlite:./data/x.db`: a file (its folder is created), WAL journal, foreign keys on.
 * - `sqlite::memory:`: a private in-memory database.
 * - `postgres://user@host/db?schema=name`: a pool; with `schema`, the schema is created if needed
 *   and becomes the search path.
 *
 * @throws CoreError `CORE_STORE_URL_INVALID`, `CORE_STORE_UNREACHABLE`.
 * @example
 * ```ts
 * const store = await openStore('sqlite:./data/tray.db');
 * await store.migrate(trayMigrations);
 * ```
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  const clock = options.clock ?? systemClock;

  let opened: { kysely: Kysely<unknown>; insertRows: InsertRows };
  let schema: string | undefined;
  if (location.backend === 'sqlite') {
    opened = await openSqlite(location.path, options);
  } else {
    schema = location.schema;
    const kysely = await openPostgres(location.connectionString, schema, options);
    opened = { kysely, insertRows: postgresInsertMany };
  }

  const published = channel(coreChannels.storeOpened);
  if (published.hasSubscribers) published.publish({ backend: location.backend });
  return new KyselyStore(opened.kysely, opened.insertRows, location.backend, schema, clock);
}

async function openSqlite(
  path: string,
  options: OpenStoreOptions,
): Promise<{ kysely: Kysely<unknown>; insertRows: InsertRows }> {
  const { default: Database } = await import('better-sqlite3');
  let database: InstanceType<typeof Database>;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    database = new Database(path);
    if (path !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.sqliteSynchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    database.pragma('foreign_keys = ON');
    database.pragma(
      `busy_timeout = ${Math.max(0, Math.trunc(options.sqliteBusyTimeoutMs ?? 10_000))}`,
    );
  } catch (cause) {
    throw new CoreError('CORE_STORE_UNREACHABLE', 'The SQLite database could not be opened.', {
      context: { backend: 'sqlite' },
      cause,
    });
  }
  return {
    kysely: new Kysely<unknown>({ dialect: new SqliteDialect({ database }) }),
    insertRows: sqliteInsertMany(database),
  };
}

async function openPostgres(
  connectionString: string,
  schema: string | undefined,
  options: OpenStoreOptions,
): Promise<Kysely<unknown>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    options: schema ? `-c search_path=${schema}` : undefined,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
  });
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });

  try {
    if (schema) await createSchema(kysely, schema);
    await sql`select 1`.execute(kysely);
  } catch (cause) {
    await kysely.destroy().catch(() => undefined);
    throw new CoreError('CORE_STORE_UNREACHABLE', 'The PostgreSQL database could not be reached.', {
      context: { backend: 'postgres' },
      cause,
    });
  }
  return kysely;
}

async function createSchema(kysely: Kysely<unknown>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(kysely);
  } catch (err) {
    // Two processes creating the same schema at once: one wins, the other sees a duplicate.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}

class KyselyStore implements Store {
  readonly #kysely: Kysely<unknown>;
  readonly #insertRows: InsertRows;
  readonly #clock: Clock;
  readonly #openTransactions = new Set<Kysely<unknown>>();
  #closed = false;

  constructor(
    kysely: Kysely<unknown>,
    insertRows: InsertRows,
    readonly backend: Backend,
    readonly schema: string | undefined,
    clock: Clock,
  ) {
    this.#kysely = kysely;
    this.#insertRows = insertRows;
    this.#clock = clock;
  }

  db<DB>(): Kysely<DB> {
    this.#assertOpen();
    return this.#kysely as Kysely<DB>;
  }

  async transaction<DB, T>(
    fn: (trx: Kysely<DB>) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    this.#assertOpen();
    options.signal?.throwIfAborted();
    const begin = this.backend === 'sqlite' ? sql`begin immediate` : sql`begin`;

    return this.#kysely.connection().execute(async (conn) => {
      await begin.execute(conn);
      this.#openTransactions.add(conn);
      try {
        const result = await fn(conn as Kysely<DB>);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      } finally {
        this.#openTransactions.delete(conn);
      }
    });
  }

  async insertMany<DB>(
    trx: Kysely<DB>,
    table: string,
    columns: readonly string[],
    rows: readonly (readonly BulkValue[])[],
  ): Promise<void> {
    this.#assertOpen();
    assertIdentifiers(table, columns);
    if (!this.#openTransactions.has(trx as Kysely<unknown>)) {
      throw new CoreError(
        'CORE_STORE_NOT_IN_TRANSACTION',
        'insertMany runs on the trx of store.transaction().',
      );
    }
    if (rows.length > 0) await this.#insertRows(trx as Kysely<unknown>, table, columns, rows);
  }

  async migrate(
    set: Parameters<Store['migrate']>[0],
    options: { signal?: AbortSignal } = {},
  ): ReturnType<Store['migrate']> {
    assertMigrationSet(set);
    const applied = channel(coreChannels.migrationApplied);

    return this.transaction(
      async (trx) => {
        if (this.backend === 'postgres') await sql`select ${PG_MIGRATION_LOCK}`.execute(trx);
        return applyMigrations(
          trx,
          this.backend,
          set,
          () => this.#clock.now(),
          (m, ms) => {
            if (applied.hasSubscribers) {
              applied.publish({ namespace: set.namespace, version: m.version, name: m.name, ms });
            }
          },
        );
      },
      { signal: options.signal },
    );
  }

  async ping(signal?: AbortSignal): Promise<boolean> {
    if (this.#closed || signal?.aborted) return false;
    try {
      await sql`select 1`.execute(this.#kysely);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#kysely.destroy();
  }

  #assertOpen(): void {
    if (this.#closed) throw new CoreError('CORE_STORE_CLOSED', 'The store is closed.');
  }
}
