// Submitting requests: validated, stored idempotently by request id, a batch at once, trailed.

import { InteropError, parseQuery, type QueryEnvelope } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import { AsyncError } from '../errors.js';
import type { RequestStatus, SubmitInput, SubmitResult } from '../types.js';
import type { RoomsContext } from './context.js';
import { effectiveStatus } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

const DEFAULT_DEADLINE_MS = 7 * 86_400_000;

function invalid(message: string, index: number, cause?: unknown): never {
  throw new AsyncError('ASYNC_SUBMIT_INVALID', message, { context: { index }, cause });
}

function checkQuery(value: unknown, index: number): QueryEnvelope {
  try {
    return parseQuery(value);
  } catch (cause) {
    const path = InteropError.is(cause) ? String(cause.context?.path ?? '') : '';
    return invalid(
      `The query is not a valid query envelope${path ? ` (${path})` : ''}.`,
      index,
      cause,
    );
  }
}

function checkCallback(url: string | undefined, index: number): string | null {
  if (url === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    return invalid('The callback URL is not a URL.', index, cause);
  }
  if (parsed.protocol !== 'https:') invalid('The callback URL is not an https: URL.', index);
  return parsed.toString();
}

/**
 * The row of one submission, checked.
 *
 * @throws AsyncError `ASYNC_SUBMIT_INVALID`, `ASYNC_ROOM_UNKNOWN`.
 */
export function prepareRow(
  ctx: RoomsContext,
  input: SubmitInput,
  index: number,
  groupRequestId: string | null,
  now: number,
): RequestTable {
  if (typeof input !== 'object' || input === null) invalid('A submission is an object.', index);
  const query = checkQuery(input.query, index);
  const room = ctx.rooms.get(query.source);
  if (!room) {
    throw new AsyncError('ASYNC_ROOM_UNKNOWN', 'The query names no declared room.', {
      context: { index, room: query.source },
    });
  }
  if (typeof input.requester !== 'string' || input.requester.length === 0) {
    invalid('A submission names its requester.', index);
  }
  const deadline =
    input.deadline ?? now + (room.declaration.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS);
  if (!Number.isSafeInteger(deadline) || deadline <= now) {
    invalid('The deadline is not a time in the future (epoch ms).', index);
  }
  const span = deadline - now;

  return {
    request_id: query.requestId,
    room: query.source,
    group_request_id: groupRequestId,
    requester: input.requester,
    status: 'waiting',
    query: JSON.stringify(query),
    callback_url: checkCallback(input.callbackUrl, index),
    purpose: query.purpose,
    legal_basis: query.legalBasis,
    case_ref: query.case,
    official: query.official,
    submitted_at: now,
    deadline,
    warn_at: now + Math.floor(span * ctx.warningShare),
    critical_at: now + Math.floor(span * ctx.criticalShare),
    late_level: 0,
    next_check_at: now + Math.floor(span * ctx.warningShare),
    available_at: now,
    attempts: 0,
    lease_id: null,
    lease_source: null,
    lease_until: null,
    answer_status: null,
    answer: null,
    answer_hash: null,
    answer_signature: null,
    reason_code: null,
    final_at: null,
    delivery_seq: null,
    next_delivery_at: null,
    delivery_attempts: 0,
    acknowledged_at: null,
  };
}

/**
 * Inserts the rows that are not there yet, on `db` (a transaction of the store, or the executor
 * of `dialect.batch`); returns the ids that were new, and the stored status of the others.
 */
export async function insertRows(
  ctx: RoomsContext,
  db: Kysely<RoomsDb>,
  rows: readonly RequestTable[],
  now: number,
): Promise<{ created: Set<string>; existing: Map<string, RequestStatus> }> {
  const created = await ctx.dialect.insertRequests(ctx.store, db, rows);

  const existing = new Map<string, RequestStatus>();
  const others = rows.filter((r) => !created.has(r.request_id)).map((r) => r.request_id);
  if (others.length > 0) {
    const found = await db
      .selectFrom('async_requests')
      .select(['request_id', 'status', 'lease_until'])
      .where('request_id', 'in', others)
      .execute();
    for (const row of found) existing.set(row.request_id, effectiveStatus(row, now));
  }
  return { created, existing };
}

/** The result of each submission, in input order; repeats of an id in one batch are duplicates. */
export function submitResults(
  rows: readonly RequestTable[],
  created: ReadonlySet<string>,
  existing: ReadonlyMap<string, RequestStatus>,
): SubmitResult[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const first = !seen.has(row.request_id);
    seen.add(row.request_id);
    if (created.has(row.request_id)) {
      return { requestId: row.request_id, status: 'waiting', duplicate: !first };
    }
    const status = existing.get(row.request_id) ?? 'waiting';
    return { requestId: row.request_id, status, duplicate: true };
  });
}

/**
 * Submits a batch in one statement (PostgreSQL) or transaction (SQLite). A request id seen
 * before is a no-op returning the first result. Invalid input throws before anything is stored.
 *
 * @throws AsyncError `ASYNC_SUBMIT_INVALID`, `ASYNC_ROOM_UNKNOWN`.
 */
export async function submitRequests(
  ctx: RoomsContext,
  inputs: readonly SubmitInput[],
  signal?: AbortSignal,
): Promise<SubmitResult[]> {
  if (!Array.isArray(inputs)) invalid('Submissions come as an array.', 0);
  const now = ctx.clock.now();
  const rows = inputs.map((input, i) => prepareRow(ctx, input, i, null, now));
  if (rows.length === 0) return [];

  signal?.throwIfAborted();
  const { created, existing } = await ctx.dialect.batch(ctx.store, (db) =>
    insertRows(ctx, db, uniqueRows(rows), now),
  );

  await appendAll(
    ctx,
    uniqueRows(rows)
      .filter((r) => created.has(r.request_id))
      .map((r) =>
        transitionRecord('async.submit', r.requester, r, { byRequester: true, status: 'waiting' }),
      ),
  );
  return submitResults(rows, created, existing);
}

/** The first row of each request id. */
export function uniqueRows(rows: readonly RequestTable[]): RequestTable[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.request_id) ? false : (seen.add(r.request_id), true)));
}
