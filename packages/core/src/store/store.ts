// The Store interface: one Kysely database on SQLite or PostgreSQL, with transactions and
// migrations.

import type { Kysely } from 'kysely';
import type { Backend } from './store-url.js';
import type { BulkValue } from './insert-many.js';
import type { MigrationResult, MigrationSet } from './migrations.js';

/** Options of {@link Store.transaction}. */
export interface TransactionOptions {
  /** Aborts before the transaction starts. */
  signal?: AbortSignal;
}

/**
 * A database opened by {@link openStore}. Every stateful block stores through one.
 *
 * Portable column types: `text`, `integer`/`bigint` (bigint columns come back as JS numbers on
 * both backends), `real`/`double precision`, blobs (`blob` on SQLite, `bytea` on PostgreSQL).
 * Times are stored as epoch milliseconds in bigint columns, booleans as 0/1 integers, JSON as text.
 */
export interface Store {
  /** Which backend this store runs on. */
  readonly backend: Backend;
  /** The PostgreSQL schema in use, if one was named in the URL. */
  readonly schema: string | undefined;

  /** The Kysely instance, typed with the caller's table interface. */
  db<DB>(): Kysely<DB>;

  /**
   * Runs `fn` in one transaction on one connection; commits when it resolves, rolls back when it
   * throws. On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`), so that
   * concurrent writers from several processes wait instead of failing. Not re-entrant.
   */
  transaction<DB, T>(fn: (trx: Kysely<DB>) => Promise<T>, options?: TransactionOptions): Promise<T>;

  /**
   * Inserts many rows fast, inside a transaction of this store: prepared multi-row statements on
   * SQLite, large multi-row `VALUES` statements on PostgreSQL. For bulk loads, where building one
   * Kysely query per batch would dominate. Values are bound, never interpolated.
   *
   * @param trx - the connection passed to the {@link Store.transaction} callback.
   * @throws CoreError `CORE_STORE_NOT_IN_TRANSACTION`, `CORE_STORE_IDENTIFIER_INVALID`.
   * @example
   * ```ts
   * await store.transaction((trx) => store.insertMany(trx, 'item', ['id', 'n'], [['a', 1], ['b',
   * 2]]));
   * ```
   */
  insertMany<DB>(
    trx: Kysely<DB>,
    table: string,
    columns: readonly string[],
    rows: readonly (readonly BulkValue[])[],
  ): Promise<void>;

  /**
   * Applies the pending migrations of one namespace under a database-wide lock, so that several
   * processes may start at once.
   *
   * @throws CoreError `CORE_MIGRATION_INVALID`, `CORE_MIGRATION_CONFLICT`, `CORE_MIGRATION_FAILED`.
   */
  migrate(set: MigrationSet, options?: { signal?: AbortSignal }): Promise<MigrationResult>;

  /** True when the database answers a trivial query. */
  ping(signal?: AbortSignal): Promise<boolean>;

  /** Closes the connections; further use throws `CORE_STORE_CLOSED`. */
  close(): Promise<void>;
}
