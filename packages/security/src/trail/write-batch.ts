// Writes a batch of prepared records in one transaction, under the lock of the chain's head row.

import type { Kysely } from 'kysely';
import type { BulkValue, Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { FIELD_SEPARATOR, canonicalHash } from './canonical.js';
import { insertRecords, recordValues } from './insert-records.js';
import type { PreparedRecord } from './prepare-record.js';
import type { HeadTable, TrailDb } from './schema.js';
import type { TrailAppendResult } from './types.js';

/** The head after a batch, and what the checkpoint policy needs to know. */
export interface BatchOutcome {
  results: TrailAppendResult[];
  head: Pick<HeadTable, 'seq' | 'hash' | 'checkpoint_seq' | 'checkpoint_time'>;
}

/**
 * Appends `records` to the chain `trail` in one transaction. The head row is locked first
 * (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds the database
 * write lock), so that seq and prev hash are computed from the committed head even when several
 * processes append to one database.
 */
export async function writeBatch(
  store: Store,
  trail: string,
  records: readonly PreparedRecord[],
  now: number,
): Promise<BatchOutcome> {
  return store.transaction<TrailDb, BatchOutcome>(async (trx) => {
    const head = await lockHead(trx, store.backend, trail);

    let seq = head.seq;
    let prev = head.hash;
    const rows: BulkValue[][] = new Array(records.length);
    const results: TrailAppendResult[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const { row, canonicalHead, canonicalTail } = records[i] as PreparedRecord;
      seq += 1;
      const hash = canonicalHash(canonicalHead + prev + FIELD_SEPARATOR + canonicalTail);
      row.seq = seq;
      row.prev_hash = prev;
      row.hash = hash;
      rows[i] = recordValues(row);
      results[i] = { seq, hash };
      prev = hash;
    }

    await insertRecords(store, trx, rows);
    await trx
      .updateTable('trail_heads')
      .set({ seq, hash: prev, updated_at: now })
      .where('name', '=', trail)
      .execute();

    return { results, head: { ...head, seq, hash: prev } };
  });
}

async function lockHead(
  trx: Kysely<TrailDb>,
  backend: Store['backend'],
  trail: string,
): Promise<BatchOutcome['head']> {
  const query = trx
    .selectFrom('trail_heads')
    .select(['seq', 'hash', 'checkpoint_seq', 'checkpoint_time'])
    .where('name', '=', trail);
  const head = await (backend === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  if (head) return head;
  throw new SecurityError('TRAIL_APPEND_FAILED', 'The head row of the trail is missing.', {
    context: { trail },
  });
}
