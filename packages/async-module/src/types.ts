// The contract of the waiting rooms: what requesters, sources and operators can do with them.
// Additions by ROOMS (additive): `CallbackDelivery`, `DeliveryReport`, and on `WaitingRooms`
// `nextDeliveries`, `markDelivered` (the callback outbox), `waiting` (a read-only list for the
// clerk's page), `room` (a declaration by id); `cancel` also accepts a group request id.

import type { AnswerEnvelope, Clock, QueryEnvelope, Reason, Store } from '@interop-blocks/core';
import type { TrailAppender } from '@interop-blocks/security';

/** Where a request is in its life. `answered`, `declined`, `expired`, `cancelled` are final. */
export type RequestStatus =
  'waiting' | 'leased' | 'answered' | 'declined' | 'expired' | 'cancelled';

/** A room: one source that answers later. */
export interface RoomDeclaration {
  /** The source id, e.g. `bank.nlb.balances`; queries name it as their `source`. */
  id: string;
  /** The principal (organisation) that answers for the room. */
  owner: string;
  /**
   * JSON Schema of the `data` of a `found` answer (validated on answer; drives the clerk's form).
   */
  answerSchema: Record<string, unknown>;
  /** Default deadline of a request, in ms after submission, when the requester gives none. */
  defaultDeadlineMs?: number;
}

/** A request in a room. */
export interface RoomRequest {
  requestId: string;
  room: string;
  /** The group request this one belongs to, if it was sent to a group. */
  groupRequestId: string | null;
  /** The principal that submitted it. */
  requester: string;
  status: RequestStatus;
  /** The query; null once its payload was purged. */
  query: QueryEnvelope | null;
  submittedAt: number;
  deadline: number;
  /** Leases taken so far. */
  attempts: number;
}

/** One submission. The query's `requestId` is the idempotency key. */
export interface SubmitInput {
  query: QueryEnvelope;
  requester: string;
  /** Epoch ms; default the room's default deadline. */
  deadline?: number;
  /** HTTPS URL to POST the answer to; without it the requester pulls. */
  callbackUrl?: string;
}

/** What happened to one submission. */
export interface SubmitResult {
  requestId: string;
  status: RequestStatus;
  /** True when the request id was already known: nothing changed, the first result stands. */
  duplicate: boolean;
}

/** Requests leased by a source, hidden from others until `until` unless answered or extended. */
export interface Lease {
  leaseId: string;
  room: string;
  until: number;
  requests: RoomRequest[];
}

/** One answer of a source. */
export interface SourceAnswer {
  requestId: string;
  status: 'found' | 'not_found';
  data?: unknown;
  version?: string;
  /** The source's detached JWS over the canonical answer, kept as evidence. */
  signature?: string;
}

/** One request declined by a source, with its reason. */
export interface SourceDecline {
  requestId: string;
  reason: Reason;
}

/** The outcome of one answer or decline: accepted, a repeat of the same (no-op), or refused. */
export type ItemOutcome =
  | { requestId: string; outcome: 'accepted' | 'duplicate' }
  | { requestId: string; outcome: 'refused'; code: string };

/** An answer waiting to be collected by its requester. */
export interface DeliveredAnswer {
  /** Opaque, increasing; pass the last one to `pull` and `acknowledge`. */
  cursor: string;
  answer: AnswerEnvelope;
  groupRequestId: string | null;
}

/** The state of a request sent to a group: complete when every member is final. */
export interface GroupStatus {
  groupRequestId: string;
  group: string;
  complete: boolean;
  members: { room: string; requestId: string; status: RequestStatus }[];
}

/** A request past a share of its deadline. */
export interface LateRequest {
  requestId: string;
  room: string;
  level: 'warning' | 'critical';
  submittedAt: number;
  deadline: number;
}

/**
 * An answer to POST to a requester's callback URL. Claimed for `claimMs` by `nextDeliveries`, so
 * that two deliverers do not send it at once; report the result with `markDelivered`.
 */
export interface CallbackDelivery {
  requestId: string;
  requester: string;
  callbackUrl: string;
  answer: AnswerEnvelope;
  groupRequestId: string | null;
  /** Attempts made before this one. */
  attempts: number;
}

/** The result of one callback attempt. */
export interface DeliveryReport {
  requestId: string;
  /** True when the requester acknowledged (2xx): the answer is delivered and its payload purged. */
  delivered: boolean;
  /** When to try again (epoch ms) after a failure; default an exponential backoff. */
  retryAt?: number;
}

/** Options of `openWaitingRooms`. */
export interface WaitingRoomsOptions {
  store: Store;
  trail: TrailAppender;
  rooms: RoomDeclaration[];
  /** Named groups of rooms, e.g. `{ banks: ['bank.nlb.balances', ...] }`. */
  groups?: Record<string, string[]>;
  clock?: Clock;
  /** Shares of the deadline at which a waiting request is late: default 0.5 and 0.8. */
  lateness?: { warningShare?: number; criticalShare?: number };
}

/** The waiting rooms of one hub or data owner. */
export interface WaitingRooms {
  submit(inputs: SubmitInput[], options?: { signal?: AbortSignal }): Promise<SubmitResult[]>;
  submitToGroup(
    group: string,
    input: SubmitInput,
    options?: { signal?: AbortSignal },
  ): Promise<{ groupRequestId: string; members: SubmitResult[] }>;
  /** Cancels a request, or every unfinished member of a group request, of this requester. */
  cancel(requestId: string, requester: string, options?: { signal?: AbortSignal }): Promise<void>;
  lease(
    room: string,
    source: string,
    options: { max: number; visibilityMs: number; signal?: AbortSignal },
  ): Promise<Lease>;
  extendLease(leaseId: string, source: string, visibilityMs: number): Promise<Lease>;
  answer(room: string, source: string, answers: SourceAnswer[]): Promise<ItemOutcome[]>;
  decline(room: string, source: string, declines: SourceDecline[]): Promise<ItemOutcome[]>;
  pull(
    requester: string,
    options: { after?: string; limit: number; signal?: AbortSignal },
  ): Promise<{ answers: DeliveredAnswer[]; next: string | undefined }>;
  /** Acknowledges every answer up to `cursor`; their payloads are purged, metadata stays. */
  acknowledge(requester: string, cursor: string): Promise<number>;
  groupStatus(groupRequestId: string): Promise<GroupStatus>;
  /** Expires requests past their deadline and raises lateness alerts; run it periodically. */
  sweep(): Promise<{ expired: number; warnings: number; critical: number }>;
  late(options?: { room?: string; limit?: number }): Promise<LateRequest[]>;
  /**
   * Claims up to `limit` final answers due for a callback POST (not delivered, next attempt due),
   * hiding them from other deliverers for `claimMs` (default 30 s).
   */
  nextDeliveries(options: { limit: number; claimMs?: number }): Promise<CallbackDelivery[]>;
  /** Records callback attempts: delivered ones are purged, failed ones retried later. */
  markDelivered(reports: DeliveryReport[]): Promise<void>;
  /** The requests of a room waiting for an answer (also leased ones), oldest first; reads only. */
  waiting(
    room: string,
    source: string,
    options?: { limit?: number; after?: string },
  ): Promise<RoomRequest[]>;
  /** The declaration of a room, or undefined. */
  room(id: string): RoomDeclaration | undefined;
  close(): Promise<void>;
}
