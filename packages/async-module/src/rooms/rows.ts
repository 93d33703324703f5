// Conversions between stored rows and the contract's values; the answer hash used for idempotency.

import { createHash } from 'node:crypto';
import type { AnswerEnvelope, QueryEnvelope } from '@interop-blocks/core';
import type { RequestStatus, RoomRequest } from '../types.js';
import type { RequestTable } from './schema.js';

/** Final statuses: no further transition happens. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  'answered',
  'declined',
  'expired',
  'cancelled',
]);

/**
 * The status a reader sees: a lease whose visibility timeout ran out is `waiting` again (the row
 * keeps the old lease until the next lease rewrites it).
 */
export function effectiveStatus(
  row: Pick<RequestTable, 'status' | 'lease_until'>,
  now: number,
): RequestStatus {
  if (row.status === 'leased' && (row.lease_until ?? 0) <= now) return 'waiting';
  return row.status as RequestStatus;
}

/** The contract's view of a row. */
export function toRoomRequest(
  row: Pick<
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
  >,
  now: number,
): RoomRequest {
  return {
    requestId: row.request_id,
    room: row.room,
    groupRequestId: row.group_request_id,
    requester: row.requester,
    status: effectiveStatus(row, now),
    query: row.query === null ? null : (JSON.parse(row.query) as QueryEnvelope),
    submittedAt: Number(row.submitted_at),
    deadline: Number(row.deadline),
    attempts: Number(row.attempts),
  };
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON of what a source said: kept after the payload is purged. */
export function outcomeHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The answer envelope of a stored answer, or null once purged. */
export function storedAnswer(row: Pick<RequestTable, 'answer'>): AnswerEnvelope | null {
  return row.answer === null ? null : (JSON.parse(row.answer) as AnswerEnvelope);
}

/** The subject of a row's query while its payload is kept. */
export function rowSubject(row: Pick<RequestTable, 'query'>): QueryEnvelope['subject'] | undefined {
  return row.query === null ? undefined : (JSON.parse(row.query) as QueryEnvelope).subject;
}
