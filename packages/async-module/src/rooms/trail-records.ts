// Trail records of the transitions of requests: one record per request and transition.

import type { AnswerStatus } from '@interop-blocks/core';
import type { TrailRecordInput } from '@interop-blocks/security';
import type { RoomsContext } from './context.js';
import { rowSubject } from './rows.js';
import type { RequestTable } from './schema.js';

/** The trailed transitions, as trail action names. */
export type RoomAction =
  | 'async.submit'
  | 'async.lease'
  | 'async.answer'
  | 'async.decline'
  | 'async.deliver'
  | 'async.expire'
  | 'async.cancel';

type TrailedRow = Pick<
  RequestTable,
  'request_id' | 'room' | 'purpose' | 'legal_basis' | 'case_ref' | 'official' | 'query'
>;

/** Facts of one record beyond the request's own. */
export interface TransitionFacts {
  status?: AnswerStatus;
  reasonCode?: string;
  answerHash?: string;
  /** The requester's official only acts on submit and cancel. */
  byRequester?: boolean;
}

/** The trail record of one transition of one request (purpose, legal basis and case included). */
export function transitionRecord(
  action: RoomAction,
  principal: string,
  row: TrailedRow,
  facts: TransitionFacts = {},
): TrailRecordInput {
  return {
    action,
    principal,
    official: facts.byRequester ? row.official : undefined,
    source: row.room,
    subject: rowSubject(row),
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    case: row.case_ref,
    requestId: row.request_id,
    status: facts.status,
    reasonCode: facts.reasonCode,
    answerHash: facts.answerHash,
  };
}

/**
 * Appends the records; they are queued together, so the trail writes them in one transaction.
 * Called after the transition committed.
 */
export async function appendAll(
  ctx: RoomsContext,
  records: readonly TrailRecordInput[],
): Promise<void> {
  // TODO(async-trail-atomicity): the trail commits after the transition's own transaction; a
  // crash between the two loses the records of that batch. The trail exposes no append inside
  // a caller's transaction yet.
  await Promise.all(records.map((r) => ctx.trail.append(r)));
}
