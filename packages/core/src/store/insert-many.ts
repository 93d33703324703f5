// Fast multi-row inserts for bulk loads: cached multi-row statements on SQLite, chunked VALUES on
// PostgreSQL.

import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { CoreError } from '../errors/core-error.js';

/** A value a bulk row may hold: text, number, bigint, bytes or null. */
export type BulkValue = string | number | bigint | Uint8Array | null;

/** Inserts rows on a connection that already holds a transaction. */
export type InsertRows = (
  trx: Kysely<unknown>,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly BulkValue[])[],
) => Promise<void>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const SQLITE_ROWS_PER_STATEMENT = 200;
const PG_MAX_PARAMETERS = 60_000;

/** Checks table and column names, which are written into SQL text. */
export function assertIdentifiers(table: string, columns: readonly string[]): void {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) {
      throw new CoreError(
        'CORE_STORE_IDENTIFIER_INVALID',
        'Table and column names are lower-case SQL identifiers.',
        {
          context: { name: String(name).slice(0, 64) },
        },
      );
    }
  }
  if (columns.length === 0) {
    throw new CoreError('CORE_STORE_IDENTIFIER_INVALID', 'An insert names at least one column.');
  }
}

/**
 * SQLite: the rows go through prepared multi-row statements, cached per table and columns. The
 * statements run synchronously on the store's one connection, inside the caller's transaction.
 */
export function sqliteInsertMany(database: BetterSqlite3.Database): InsertRows {
  const cache = new Map<string, BetterSqlite3.Statement>();

  const statement = (
    table: string,
    columns: readonly string[],
    count: number,
  ): BetterSqlite3.Statement => {
    const key = `${table}\u0000${columns.join(',')}\u0000${count}`;
    let stmt = cache.get(key);
    if (!stmt) {
      const one = `(${columns.map(() => '?').join(',')})`;
      const names = columns.map((c) => `"${c}"`).join(',');
      const text = `insert into "${table}" (${names}) values ${Array(count).fill(one).join(',')}`;
      stmt = database.prepare(text);
      cache.set(key, stmt);
    }
    return stmt;
  };

  return async (_trx, table, columns, rows) => {
    for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
      statement(table, columns, chunk.length).run(chunk.flat() as unknown[]);
    }
  };
}

/** PostgreSQL: multi-row VALUES statements, as many rows per statement as the protocol allows. */
export const postgresInsertMany: InsertRows = async (trx, table, columns, rows) => {
  const perStatement = Math.max(1, Math.floor(PG_MAX_PARAMETERS / columns.length));
  const names = sql.join(columns.map((c) => sql.id(c)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const values = sql.join(chunk.map((row) => sql`(${sql.join(row.map((v) => toPg(v)))})`));
    await sql`insert into ${sql.id(table)} (${names}) values ${values}`.execute(trx);
  }
};

function toPg(value: BulkValue): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value;
}
