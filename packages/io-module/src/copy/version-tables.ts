// The per-version record tables: one table a version, indexed by subject key after the load.

import { sql, type Kysely } from 'kysely';

/** Columns of a record table: the subject key (`scheme:id`), file order, and the record JSON. */
export const RECORD_COLUMNS = ['subject_key', 'ord', 'data'] as const;

/** The record table of version `id` (a number, so the name is always a safe identifier). */
export function recordTable(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new RangeError('A version id is a positive integer.');
  return `io_rec_${id}`;
}

/** Creates the empty record table of a version, without index (added once loaded). */
export async function createRecordTable(db: Kysely<unknown>, id: number): Promise<void> {
  await db.schema
    .createTable(recordTable(id))
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('ord', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
}

/** Indexes a loaded record table by subject key, so lookups are one index probe. */
export async function indexRecordTable(db: Kysely<unknown>, id: number): Promise<void> {
  const table = recordTable(id);
  await sql`create index ${sql.id(`${table}_key`)} on ${sql.id(table)} (subject_key, ord)`.execute(
    db,
  );
}

/** Drops the record table of a version, if it exists. */
export async function dropRecordTable(db: Kysely<unknown>, id: number): Promise<void> {
  await sql`drop table if exists ${sql.id(recordTable(id))}`.execute(db);
}

/** Copies every row of one version's table into another's (the base of a change set). */
export async function copyRecords(db: Kysely<unknown>, from: number, to: number): Promise<void> {
  await sql`insert into ${sql.id(recordTable(to))} (subject_key, ord, data)
    select subject_key, ord, data from ${sql.id(recordTable(from))}`.execute(db);
}

/**
 * Counts the records (a record stored under several keys counts once; a load passes the count it
 * kept) and the distinct subjects by the dataset's first identifier scheme.
 */
export async function countRecords(
  db: Kysely<unknown>,
  id: number,
  primaryScheme: string,
  knownRecords?: number,
): Promise<{ records: number; subjects: number }> {
  const table = sql.id(recordTable(id));
  const from = `${primaryScheme}:`;
  const to = `${primaryScheme};`;
  const { rows } = await sql<{ subjects: number | string }>`
    select count(distinct subject_key) as subjects from ${table}
    where subject_key >= ${from} and subject_key < ${to}`.execute(db);
  const subjects = Number(rows[0]?.subjects ?? 0);
  if (knownRecords !== undefined) return { records: knownRecords, subjects };

  const counted = await sql<{ records: number | string }>`
    select count(distinct ord) as records from ${table}`.execute(db);
  return { records: Number(counted.rows[0]?.records ?? 0), subjects };
}

/** The subject key under which records are stored and looked up. */
export function subjectKey(scheme: string, id: string): string {
  return `${scheme}:${id}`;
}
