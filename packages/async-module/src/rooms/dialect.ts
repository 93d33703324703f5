// The operations whose SQL differs between PostgreSQL and SQLite, behind one interface.

import type { Kysely } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { RequestTable, RoomsDb } from './schema.js';
import { postgresDialect } from './dialect-postgres.js';
import { sqliteDialect } from './dialect-sqlite.js';

/** A request's move to a final status, written in bulk. */
export interface FinalUpdate {
  request_id: string;
  status: 'answered' | 'declined' | 'expired';
  answer_status: string;
  answer: string;
  answer_hash: string;
  answer_signature: string | null;
  reason_code: string | null;
  final_at: number;
  delivery_seq: number;
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

/**
 * Dialect-specific SQL. Every method runs inside a transaction of the store (on SQLite that
 * transaction holds the write lock: `BEGIN IMMEDIATE`).
 */
export interface RoomsDialect {
  /** Takes up to `max` leasable requests of a room, oldest first, and marks them leased. */
  leaseBatch(trx: Kysely<RoomsDb>, params: LeaseParams): Promise<RequestTable[]>;
  /** Reads requests by id and locks them until the end of the transaction. */
  lockRequests(trx: Kysely<RoomsDb>, ids: readonly string[]): Promise<RequestTable[]>;
  /** Writes many final updates at once. */
  finalise(trx: Kysely<RoomsDb>, updates: readonly FinalUpdate[]): Promise<void>;
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
