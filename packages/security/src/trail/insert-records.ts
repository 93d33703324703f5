// Inserts a batch of trail records: prepared multi-row statements on SQLite, unnest() on
// PostgreSQL.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { BulkValue, Store } from '@interop-blocks/core';
import { HASHED_COLUMN_NAMES, type RecordTable, type TrailDb } from './schema.js';

/** The stored columns of a record, in the order of {@link recordValues}: hashed, then sealed. */
export const RECORD_COLUMNS = [
  ...HASHED_COLUMN_NAMES,
  'subject_cipher',
  'payload_cipher',
] as const satisfies readonly (keyof RecordTable)[];

/** The PostgreSQL element type of each column; the others are `text`. */
const PG_TYPES: Partial<Record<(typeof RECORD_COLUMNS)[number], string>> = {
  seq: 'int8',
  format: 'int4',
  time: 'int8',
  subject_cipher: 'bytea',
  payload_cipher: 'bytea',
};

/** The values of `row` in the order of {@link RECORD_COLUMNS}. */
export function recordValues(row: RecordTable): BulkValue[] {
  return RECORD_COLUMNS.map((column) => row[column]);
}

/**
 * Inserts `rows` (values in the order of {@link RECORD_COLUMNS}) on `trx`, the open transaction of
 * `store`. SQLite runs the store's cached multi-row statements. PostgreSQL gets one statement of
 * fixed text with one array parameter per column, whatever the batch size, so the server parses
 * and plans a few bytes instead of a VALUES list of thousands of parameters.
 */
export async function insertRecords(
  store: Store,
  trx: Kysely<TrailDb>,
  rows: readonly BulkValue[][],
): Promise<void> {
  if (store.backend !== 'postgres') {
    await store.insertMany(trx, 'trail_records', RECORD_COLUMNS, rows);
    return;
  }
  const columns: RawBuilder<unknown>[] = RECORD_COLUMNS.map((column, i) => {
    const values = rows.map((row) => pgValue(row[i] ?? null));
    return sql`${values}::${sql.raw(PG_TYPES[column] ?? 'text')}[]`;
  });
  const names = sql.join(RECORD_COLUMNS.map((column) => sql.id(column)));
  const arrays = sql.join(columns);
  await sql`insert into trail_records (${names}) select * from unnest(${arrays})`.execute(trx);
}

/** node-postgres writes Buffers in arrays as bytea; other byte arrays are copied into one. */
function pgValue(value: BulkValue): BulkValue {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value;
}
