// Retention: forgets payload copies, subject copies and data keys; the chain stays verifiable.

import { sql, type Kysely, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Clock, Store } from '@interop-blocks/core';
import type { TrailDb } from './schema.js';
import type { TrailRetention } from './types.js';

/** What a purge forgot. */
export interface PurgeResult {
  /** Payload copies removed. */
  payloads: number;
  /** Encrypted subject copies removed (the HMAC stays, so the record is still found). */
  subjects: number;
  /** Data keys deleted; their periods can no longer be decrypted. */
  keys: number;
}

type RecordUpdate = UpdateQueryBuilder<TrailDb, 'trail_records', 'trail_records', UpdateResult>;

/**
 * Applies `retention` at the clock's time. Ciphertexts are set to null; the record hash covers
 * only their digests, so verify() still passes. Data keys whose period ended more than
 * `keysAfterMs` ago are deleted together with the ciphertexts they protected.
 */
export async function purgeTrail(
  store: Store,
  trail: string,
  retention: TrailRetention,
  clock: Clock,
  signal?: AbortSignal,
): Promise<PurgeResult> {
  const now = clock.now();
  const result: PurgeResult = { payloads: 0, subjects: 0, keys: 0 };
  signal?.throwIfAborted();

  // TODO(trail-purge-chunks): one transaction per purge; a trail of many millions of records due
  // for purge at once wants it in chunks (by seq range) to keep transactions short.
  await store.transaction<TrailDb, void>(
    async (trx) => {
      const records = () => trx.updateTable('trail_records').where('trail', '=', trail);

      if (retention.payloadsAfterMs !== undefined) {
        result.payloads += await count(
          records()
            .set({ payload_cipher: null })
            .where('payload_cipher', 'is not', null)
            .where('time', '<', now - retention.payloadsAfterMs),
        );
      }
      for (const rule of retention.sources ?? []) {
        const bySource = (q: RecordUpdate) => whereSource(q, rule.source);
        if (rule.payloadsAfterMs !== undefined) {
          result.payloads += await count(
            bySource(records().set({ payload_cipher: null }))
              .where('payload_cipher', 'is not', null)
              .where('time', '<', now - rule.payloadsAfterMs),
          );
        }
        if (rule.subjectsAfterMs !== undefined) {
          result.subjects += await count(
            bySource(records().set({ subject_cipher: null }))
              .where('subject_cipher', 'is not', null)
              .where('time', '<', now - rule.subjectsAfterMs),
          );
        }
      }
      if (retention.keysAfterMs !== undefined) {
        result.keys = await purgeKeys(trx, trail, now, retention.keysAfterMs, result);
      }
    },
    { signal },
  );

  return result;
}

async function purgeKeys(
  trx: Kysely<TrailDb>,
  trail: string,
  now: number,
  keysAfterMs: number,
  result: PurgeResult,
): Promise<number> {
  const expired = await trx
    .selectFrom('trail_keys')
    .select('key_id')
    .where('trail', '=', trail)
    .where('wrapped', 'is not', null)
    .where('period_end', '<', now - keysAfterMs)
    .execute();
  if (expired.length === 0) return 0;
  const ids = expired.map((k) => k.key_id);

  const records = () =>
    trx.updateTable('trail_records').where('trail', '=', trail).where('data_key_id', 'in', ids);
  result.payloads += await count(
    records().set({ payload_cipher: null }).where('payload_cipher', 'is not', null),
  );
  result.subjects += await count(
    records().set({ subject_cipher: null }).where('subject_cipher', 'is not', null),
  );
  await trx
    .updateTable('trail_keys')
    .set({ wrapped: null, purged_at: now })
    .where('trail', '=', trail)
    .where('key_id', 'in', ids)
    .execute();
  return ids.length;
}

/**
 * Exact source, or a prefix when the rule ends in `*` (compared with substr, so no LIKE escapes).
 */
function whereSource(query: RecordUpdate, source: string): RecordUpdate {
  if (!source.endsWith('*')) return query.where('source', '=', source);
  const prefix = source.slice(0, -1);
  return query.where(sql<string>`substr(source, 1, ${prefix.length})`, '=', prefix);
}

async function count(query: { executeTakeFirst(): Promise<UpdateResult> }): Promise<number> {
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
