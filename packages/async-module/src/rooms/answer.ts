// Answers and declines of a source: validated, idempotent by request id, refusals coded, trailed.

import type { Reason } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';
import type { ItemOutcome, SourceAnswer, SourceDecline } from '../types.js';
import type { ResolvedRoom, RoomsContext } from './context.js';
import {
  declineEnvelope,
  finaliseRequests,
  sourceAnswerEnvelope,
  type Finalising,
  type FinalisingRow,
} from './finalise.js';
import { ownedRoom } from './lease.js';
import { outcomeHash } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

const REASON_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;
const MAX_BATCH = 10_000;

/** One checked item: what to store if the request accepts it. */
interface Candidate {
  requestId: string;
  hash: string;
  kind: 'answered' | 'declined';
  build(row: FinalisingRow, now: number): Finalising;
}

type Checked = Candidate | { requestId: string; refused: string };

function refused(requestId: unknown, code: string): { requestId: string; refused: string } {
  return { requestId: typeof requestId === 'string' ? requestId : '', refused: code };
}

function checkAnswer(room: ResolvedRoom, a: SourceAnswer): Checked {
  if (typeof a !== 'object' || a === null || typeof a.requestId !== 'string') {
    return refused(undefined, 'ASYNC_REQUEST_UNKNOWN');
  }
  if (a.status !== 'found' && a.status !== 'not_found') {
    return refused(a.requestId, 'ASYNC_ANSWER_INVALID');
  }
  if (a.status === 'found' ? !room.validate(a.data) : a.data !== undefined) {
    return refused(a.requestId, 'ASYNC_ANSWER_INVALID');
  }
  if (
    a.version !== undefined &&
    (typeof a.version !== 'string' || !/^[^\p{Cc}]{1,64}$/u.test(a.version))
  ) {
    return refused(a.requestId, 'ASYNC_ANSWER_INVALID');
  }
  if (a.signature !== undefined && typeof a.signature !== 'string') {
    return refused(a.requestId, 'ASYNC_ANSWER_INVALID');
  }
  const said = { status: a.status, data: a.data, version: a.version };
  const hash = outcomeHash(said);
  return {
    requestId: a.requestId,
    hash,
    kind: 'answered',
    build: (row, now) => ({
      row,
      status: 'answered',
      answer: sourceAnswerEnvelope(row, now, said),
      hash,
      signature: a.signature ?? null,
      reasonCode: null,
    }),
  };
}

function checkDecline(d: SourceDecline): Checked {
  if (typeof d !== 'object' || d === null || typeof d.requestId !== 'string') {
    return refused(undefined, 'ASYNC_REQUEST_UNKNOWN');
  }
  const reason = d.reason as Reason | undefined;
  const message = reason?.message;
  if (
    !reason ||
    typeof reason.code !== 'string' ||
    !REASON_CODE.test(reason.code) ||
    (message !== undefined &&
      (typeof message !== 'string' || !/^[^\p{Cc}\p{Cs}]{1,500}$/u.test(message)))
  ) {
    return refused(d.requestId, 'ASYNC_ANSWER_INVALID');
  }
  const clean: Reason =
    message === undefined ? { code: reason.code } : { code: reason.code, message };
  const hash = outcomeHash({ declined: clean });
  return {
    requestId: d.requestId,
    hash,
    kind: 'declined',
    build: (row, now) => ({
      row,
      status: 'declined',
      answer: declineEnvelope(row, now, clean),
      hash,
      signature: null,
      reasonCode: clean.code,
    }),
  };
}

/** What the verdict on an item reads of its request. */
type StoredRow = FinalisingRow & Pick<RequestTable, 'status' | 'answer_hash'>;

/** Why a stored request does not take `candidate`, or undefined when it does. */
function verdict(
  row: StoredRow | undefined,
  room: string,
  candidate: Candidate,
  now: number,
): 'duplicate' | string | undefined {
  if (!row) return 'ASYNC_REQUEST_UNKNOWN';
  if (row.room !== room) return 'ASYNC_REQUEST_FOREIGN';
  if (row.status === 'answered' || row.status === 'declined') {
    return row.answer_hash === candidate.hash ? 'duplicate' : 'ASYNC_REQUEST_FINAL';
  }
  if (row.status === 'expired') return 'ASYNC_REQUEST_EXPIRED';
  if (row.status === 'cancelled') return 'ASYNC_REQUEST_CANCELLED';
  if (Number(row.deadline) <= now) return 'ASYNC_REQUEST_EXPIRED';
  return undefined;
}

/**
 * Applies checked items in one transaction: the requests are locked (in id order, so two batches
 * never wait on each other in a cycle), each item is accepted, found to be a repeat of the stored
 * answer (`duplicate`), or refused with a code, and the accepted ones are written in one
 * statement.
 */
async function apply(
  ctx: RoomsContext,
  room: string,
  source: string,
  checked: readonly Checked[],
): Promise<ItemOutcome[]> {
  if (checked.length > MAX_BATCH) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', `A batch holds at most ${MAX_BATCH} items.`);
  }
  const now = ctx.clock.now();
  const ids = [...new Set(checked.filter((c) => !('refused' in c)).map((c) => c.requestId))];

  const { outcomes, accepted } = await ctx.store.transaction<
    RoomsDb,
    { outcomes: ItemOutcome[]; accepted: Finalising[] }
  >(async (trx) => {
    const rows = new Map<string, StoredRow>(
      (await ctx.dialect.lockRequests(trx, ids)).map((r) => [r.request_id, r]),
    );
    const building: Finalising[] = [];
    const outcomes = checked.map<ItemOutcome>((c) => {
      if ('refused' in c) return { requestId: c.requestId, outcome: 'refused', code: c.refused };
      const row = rows.get(c.requestId);
      const why = verdict(row, room, c, now);
      if (why === 'duplicate') return { requestId: c.requestId, outcome: 'duplicate' };
      if (why !== undefined || !row) {
        return { requestId: c.requestId, outcome: 'refused', code: why ?? 'ASYNC_REQUEST_UNKNOWN' };
      }
      const item = c.build(row, now);
      building.push(item);
      // A later item of this batch for the same request compares with this one.
      rows.set(c.requestId, { ...row, status: item.status, answer_hash: item.hash });
      return { requestId: c.requestId, outcome: 'accepted' };
    });
    // The rows are locked, so every accepted item is written; the write is guarded anyway, and
    // an item it left alone is reported as the final answer that stands.
    const written = await finaliseRequests(ctx, trx, building, now);
    return {
      outcomes: outcomes.map((o) =>
        o.outcome === 'accepted' && !written.has(o.requestId)
          ? { requestId: o.requestId, outcome: 'refused', code: 'ASYNC_REQUEST_FINAL' }
          : o,
      ),
      accepted: building.filter((b) => written.has(b.row.request_id)),
    };
  });

  await appendAll(
    ctx,
    accepted.map((item) =>
      transitionRecord(
        item.status === 'answered' ? 'async.answer' : 'async.decline',
        source,
        item.row,
        {
          status: item.answer.status,
          reasonCode: item.reasonCode ?? undefined,
          answerHash: item.hash,
        },
      ),
    ),
  );
  return outcomes;
}

/**
 * Takes a source's answers as one batch. Each is `accepted`, a `duplicate` of the stored
 * answer, or `refused` with a code: `ASYNC_REQUEST_UNKNOWN`, `ASYNC_REQUEST_FOREIGN` (another
 * room), `ASYNC_REQUEST_EXPIRED`, `ASYNC_REQUEST_CANCELLED`, `ASYNC_REQUEST_FINAL` (a different
 * answer stands), `ASYNC_ANSWER_INVALID` (data against the room's answer schema).
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN`, `ASYNC_SOURCE_FORBIDDEN`, `ASYNC_OPTIONS_INVALID`.
 */
export async function answerRequests(
  ctx: RoomsContext,
  room: string,
  source: string,
  answers: readonly SourceAnswer[],
): Promise<ItemOutcome[]> {
  const resolved = ownedRoom(ctx, room, source);
  return apply(
    ctx,
    room,
    source,
    answers.map((a) => checkAnswer(resolved, a)),
  );
}

/**
 * Takes a source's declines: each request gets a `refused` answer carrying the source's reason.
 * Outcomes as for {@link answerRequests}.
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN`, `ASYNC_SOURCE_FORBIDDEN`, `ASYNC_OPTIONS_INVALID`.
 */
export async function declineRequests(
  ctx: RoomsContext,
  room: string,
  source: string,
  declines: readonly SourceDecline[],
): Promise<ItemOutcome[]> {
  ownedRoom(ctx, room, source);
  return apply(
    ctx,
    room,
    source,
    declines.map((d) => checkDecline(d)),
  );
}
