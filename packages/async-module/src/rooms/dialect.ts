// The operations whose SQL differs between PostgreSQL and SQLite, behind one interface.

import type { Kysely } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { RequestTable, RoomsDb } from './schema.js';
import { postgresDialect } from './dialect-postgres.js';
import { sqliteDialect } from './dialect-sqlite.js';

/**
 * A request's move to a final status, written in bulk. `ordinal` numbers the updates of one
 * requester in the batch from 1; the position in the requester's delivery order is the counter
 * before the batch plus `ordinal`.
 */
export interface FinalUpdate {
  request_id: string;
  requester: string;
  ordinal: number;
  status: 'answered' | 'declined' | 'expired';
  answer_status: string;
  answer: string;
  answer_hash: string;
  answer_signature: string | null;
  reason_code: string | null;
  next_delivery_at: number | null;
}

/** What a lease asks for. */
export interface LeaseParams {
  room: string;
  now: number;
  max: number;
  leaseId: string;
  source: string;
  until: number;
}

/** The columns a lease returns: what a source sees and what the trail records. */
export type LeasedRow = Pick<
  RequestTable,
  | 'request_id'
  | 'room'
  | 'group_request_id'
  | 'requester'
  | 'status'
  | 'query'
  | 'submitted_at'
  | 'deadline'
  | 'attempts'
  | 'lease_until'
  | 'purpose'
  | 'legal_basis'
  | 'case_ref'
  | 'official'
>;

/** An acknowledged answer: what the trail records of its delivery (the query as it was). */
export type AckedRow = Pick<
  RequestTable,
  | 'request_id'
  | 'room'
  | 'purpose'
  | 'legal_basis'
  | 'case_ref'
  | 'official'
  | 'query'
  | 'answer_status'
>;

/**
 * Dialect-specific SQL. Methods taking a `Kysely` run inside a transaction of the store (on
 * SQLite it holds the write lock: `BEGIN IMMEDIATE`), or on `batch`'s executor.
 */
export interface RoomsDialect {
  /**
   * Runs one batch operation. PostgreSQL: on the pool, each statement committing on its own, so
   * the operation must make its change in one statement, guarded against concurrent writers.
   * SQLite: in one `BEGIN IMMEDIATE` transaction (one writer, so reads stay true until the end).
   */
  batch<T>(store: Store, fn: (db: Kysely<RoomsDb>) => Promise<T>): Promise<T>;
  /** Inserts the rows whose id is new (others untouched); returns the new ids. */
  insertRequests(
    store: Store,
    db: Kysely<RoomsDb>,
    rows: readonly RequestTable[],
  ): Promise<Set<string>>;
  /** Takes up to `max` leasable requests of a room, oldest first, and marks them leased. */
  leaseBatch(db: Kysely<RoomsDb>, params: LeaseParams): Promise<LeasedRow[]>;
  /** Reads requests by id and locks them until the end of the transaction. */
  lockRequests(trx: Kysely<RoomsDb>, ids: readonly string[]): Promise<RequestTable[]>;
  /**
   * Writes many final updates, each only while its request is still `waiting` or `leased`, and
   * reserves their delivery positions (the requester's counter row stays locked to the end of
   * the transaction, so positions become visible in order). Returns the ids written; a position
   * reserved for a request another writer finalised first stays unused (pull skips the gap).
   */
  finalise(db: Kysely<RoomsDb>, updates: readonly FinalUpdate[], now: number): Promise<Set<string>>;
  /**
   * Acknowledges the requester's pulled answers up to `upTo`: purges their payloads, moves the
   * acknowledged position. Returns the rows acknowledged now, or `undefined` when `upTo` lies
   * beyond the positions handed out.
   */
  acknowledge(
    store: Store,
    requester: string,
    upTo: number,
    now: number,
  ): Promise<AckedRow[] | undefined>;
  /** Locks up to `limit` unfinished requests whose lateness or deadline check is due. */
  lockDueChecks(trx: Kysely<RoomsDb>, now: number, limit: number): Promise<RequestTable[]>;
  /** Claims up to `limit` answers due for a callback, moving their next attempt to `until`. */
  claimCallbacks(
    trx: Kysely<RoomsDb>,
    now: number,
    limit: number,
    until: number,
  ): Promise<RequestTable[]>;
}

/** The dialect of a store's backend. */
export function dialectFor(store: Store): RoomsDialect {
  return store.backend === 'postgres' ? postgresDialect : sqliteDialect;
}
