// Tables of the waiting rooms and their numbered migrations (namespace `async-module`).

import { sql, type Kysely } from 'kysely';
import type { MigrationSet } from '@interop-blocks/core';

/**
 * One request. The payloads (`query`, `answer`) are set to null once the requester acknowledged
 * the answer; everything else is metadata and stays.
 */
export interface RequestTable {
  request_id: string;
  room: string;
  group_request_id: string | null;
  requester: string;
  status: string;
  query: string | null;
  callback_url: string | null;
  purpose: string;
  legal_basis: string;
  case_ref: string;
  official: string;
  submitted_at: number;
  deadline: number;
  warn_at: number;
  critical_at: number;
  late_level: number;
  /** The next lateness or deadline check; null once final. */
  next_check_at: number | null;
  /** When a source may lease it (submission, or the end of a lease); null once final. */
  available_at: number | null;
  attempts: number;
  lease_id: string | null;
  lease_source: string | null;
  lease_until: number | null;
  answer_status: string | null;
  answer: string | null;
  answer_hash: string | null;
  answer_signature: string | null;
  reason_code: string | null;
  final_at: number | null;
  /** Position in the requester's delivery order (the pull cursor). */
  delivery_seq: number | null;
  /** When a callback is next due; null when pulled, delivered or not final. */
  next_delivery_at: number | null;
  delivery_attempts: number;
  acknowledged_at: number | null;
}

/** A request sent to a group: its members are requests with this `group_request_id`. */
export interface GroupTable {
  group_request_id: string;
  group_name: string;
  requester: string;
  created_at: number;
}

/** Per requester: the last delivery position handed out, and the last one acknowledged. */
export interface CursorTable {
  requester: string;
  last_seq: number;
  acked_seq: number;
}

/** The tables of the waiting rooms. */
export interface RoomsDb {
  async_requests: RequestTable;
  async_groups: GroupTable;
  async_cursors: CursorTable;
}

/** The columns inserted on submission; every other column starts at its default (null or 0). */
export const SUBMIT_COLUMNS = [
  'request_id',
  'room',
  'group_request_id',
  'requester',
  'status',
  'query',
  'callback_url',
  'purpose',
  'legal_basis',
  'case_ref',
  'official',
  'submitted_at',
  'deadline',
  'warn_at',
  'critical_at',
  'next_check_at',
  'available_at',
] as const satisfies readonly (keyof RequestTable)[];

async function createTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('async_requests')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('group_request_id', 'text')
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('query', 'text')
    .addColumn('callback_url', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('case_ref', 'text', (c) => c.notNull())
    .addColumn('official', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('warn_at', 'bigint', (c) => c.notNull())
    .addColumn('critical_at', 'bigint', (c) => c.notNull())
    .addColumn('late_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_check_at', 'bigint')
    .addColumn('available_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_id', 'text')
    .addColumn('lease_source', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('answer_status', 'text')
    .addColumn('answer', 'text')
    .addColumn('answer_hash', 'text')
    .addColumn('answer_signature', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('final_at', 'bigint')
    .addColumn('delivery_seq', 'bigint')
    .addColumn('next_delivery_at', 'bigint')
    .addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acknowledged_at', 'bigint')
    .execute();
  // Partial indexes: a row sits only in the indexes of its current stage, so the updates of a
  // busy room touch few index entries.
  const index = (name: string, columns: string[], where: string) =>
    db.schema
      .createIndex(name)
      .on('async_requests')
      .columns(columns)
      .where(sql.raw<boolean>(where))
      .execute();
  await index('async_requests_available', ['room', 'available_at'], 'available_at is not null');
  await index('async_requests_check', ['next_check_at'], 'next_check_at is not null');
  await index('async_requests_lease', ['lease_id'], "status = 'leased'");
  await index(
    'async_requests_delivery',
    ['requester', 'delivery_seq'],
    'delivery_seq is not null and acknowledged_at is null',
  );
  await index('async_requests_callback', ['next_delivery_at'], 'next_delivery_at is not null');
  await index('async_requests_group', ['group_request_id'], 'group_request_id is not null');

  await db.schema
    .createTable('async_groups')
    .addColumn('group_request_id', 'text', (c) => c.primaryKey())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('async_cursors')
    .addColumn('requester', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('acked_seq', 'bigint', (c) => c.notNull())
    .execute();
}

/**
 * The index on `lease_id` served only `extendLease`, which now finds a lease through
 * `async_requests_available` (a live lease has `available_at` in the future); every lease paid
 * for it with one more index entry per request.
 */
async function dropLeaseIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('async_requests_lease').ifExists().execute();
}

/** The migrations of the waiting rooms. */
export const ROOMS_MIGRATIONS: MigrationSet = {
  namespace: 'async-module',
  migrations: [
    { version: 1, name: 'create_waiting_rooms', up: createTables },
    { version: 2, name: 'drop_lease_index', up: dropLeaseIndex },
  ],
};
