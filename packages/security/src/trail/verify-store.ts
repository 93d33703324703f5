// verify() on a store: streams the chain in keyset pages and checks it with its checkpoints.

import type { Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { sql, type RawBuilder } from 'kysely';
import { CANONICAL_FIELDS, GENESIS_HASH } from './canonical.js';
import type { CheckpointTable, TrailDb } from './schema.js';
import { ChainVerifier, type ChainAnchor, type VerifiableRow } from './verify-chain.js';
import { checkCheckpoints, leafCertificates } from './verify-checkpoints.js';
import type { TrailVerification } from './types.js';

/** Options of verify(). */
export interface VerifyOptions {
  /** First seq to check (default 1). */
  from?: number;
  /** Last seq to check (default: the head). */
  to?: number;
  /** Only checkpoints signed by these certificates (SHA-256 fingerprints) count as valid. */
  acceptedSigners?: readonly string[];
  /** Records fetched per query. Default 10000. */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * Verifies the chain `trail` in `store`.
 * @throws SecurityError `TRAIL_QUERY_INVALID` for a bad range.
 */
export async function verifyStoredTrail(
  store: Store,
  trail: string,
  options: VerifyOptions = {},
): Promise<TrailVerification> {
  const from = options.from ?? 1;
  const pageSize = options.pageSize ?? 10_000;
  if (!isSeq(from) || (options.to !== undefined && (!isSeq(options.to) || options.to < from))) {
    throw new SecurityError('TRAIL_QUERY_INVALID', 'A verify range runs from seq 1 up.');
  }
  const db = store.db<TrailDb>();
  const head = await db
    .selectFrom('trail_heads')
    .select(['seq'])
    .where('name', '=', trail)
    .executeTakeFirst();
  const to = options.to ?? Number.MAX_SAFE_INTEGER;

  const checked = checkCheckpoints(
    trail,
    await loadCheckpoints(store, trail, from, to, options.signal),
    leafCertificates(
      (await db.selectFrom('trail_signers').select(['fingerprint', 'chain_pem']).execute()).map(
        (s) => ({ fingerprint: s.fingerprint, pem: s.chain_pem }),
      ),
    ),
    options.acceptedSigners,
  );
  const verifier = new ChainVerifier(await anchorOf(store, trail, from), checked.valid);

  let after = from - 1;
  let page = fetchPage(store, trail, after, to, pageSize);
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await page;
    if (rows.length === 0) break;
    after = (rows[rows.length - 1] as VerifiableRow).seq;
    page =
      rows.length < pageSize ? Promise.resolve([]) : fetchPage(store, trail, after, to, pageSize);
    verifier.push(rows);
  }

  const headSeq = head?.seq ?? 0;
  const { head: last } = verifier.finish(Math.min(headSeq, to));
  const problems = [...checked.problems, ...verifier.problems].sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    records: verifier.records,
    checkpoints: checked.count,
    head: last,
    signers: checked.signers,
    problems,
  };
}

function fetchPage(
  store: Store,
  trail: string,
  after: number,
  to: number,
  limit: number,
): Promise<VerifiableRow[]> {
  return store
    .db<TrailDb>()
    .selectFrom('trail_records')
    .select(['seq', 'hash', 'prev_hash', canonicalSql(store.backend).as('canonical')])
    .where('trail', '=', trail)
    .where('seq', '>', after)
    .where('seq', '<=', to)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * The canonical encoding built by the database: the same text `recordCanonical` builds, so that
 * a page is one short column per record instead of twenty-four (reading wide rows dominated the
 * cost of verify()).
 */
function canonicalSql(backend: Store['backend']): RawBuilder<string> {
  const char = (code: number) =>
    backend === 'postgres' ? sql.raw(`chr(${code})`) : sql.raw(`char(${code})`);
  const parts = CANONICAL_FIELDS.map((field) =>
    field === 'format' || field === 'time'
      ? sql`cast(${sql.ref(field)} as text)`
      : sql`coalesce(${sql.ref(field)}, ${char(30)})`,
  );
  return sql<string>`(${sql.join(parts, sql` || ${char(31)} || `)})`;
}

async function anchorOf(store: Store, trail: string, from: number): Promise<ChainAnchor> {
  if (from === 1) return { seq: 0, hash: GENESIS_HASH };
  const row = await store
    .db<TrailDb>()
    .selectFrom('trail_records')
    .select(['hash'])
    .where('trail', '=', trail)
    .where('seq', '=', from - 1)
    .executeTakeFirst();
  return { seq: from - 1, hash: row?.hash };
}

async function loadCheckpoints(
  store: Store,
  trail: string,
  from: number,
  to: number,
  signal: AbortSignal | undefined,
): Promise<CheckpointTable[]> {
  const all: CheckpointTable[] = [];
  let after = from - 1;
  for (;;) {
    signal?.throwIfAborted();
    const page = await store
      .db<TrailDb>()
      .selectFrom('trail_checkpoints')
      .selectAll()
      .where('trail', '=', trail)
      .where('seq', '>', after)
      .where('seq', '<=', to)
      .orderBy('seq')
      .limit(5000)
      .execute();
    all.push(...page);
    if (page.length < 5000) return all;
    after = (page[page.length - 1] as CheckpointTable).seq;
  }
}

function isSeq(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1;
}
