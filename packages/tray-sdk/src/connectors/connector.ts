// The connector contract: how the Tray hands enquiries to a transport and gets raw outcomes back.

import type { Clock, Period, Reason, SubjectRef } from '@interop-blocks/core';
import type { Source } from '../catalogue/define-catalogue.js';

/** One enquiry as a connector sends it: one question to one source about one subject. */
export interface Enquiry {
  /** UUIDv7; the same on every attempt, so that sources can deduplicate. */
  requestId: string;
  caseId: string;
  source: string;
  subject: SubjectRef;
  purpose: string;
  legalBasis: string;
  /** The case reference as the enquirer knows it. */
  case: string;
  organisation: string;
  official: string;
  issuedAt: string;
  period?: Period;
  referenceDate?: string;
}

/** Evidence kept with an answer: hashes binding it to its request, and the source's signature. */
export interface Evidence {
  requestHash?: string;
  answerHash?: string;
  signature?: string;
  /** The signer certificate's SHA-256 fingerprint. */
  signer?: string;
}

/**
 * What a connector reports for one enquiry, before normalisation. `failed` says whether another
 * attempt may help (timeouts, 5xx, connection errors) or not (4xx, bad signature, bad body).
 */
export type RawOutcome =
  | { requestId: string; status: 'found'; data: unknown; version?: string; evidence?: Evidence }
  | { requestId: string; status: 'not_found'; version?: string; evidence?: Evidence }
  | { requestId: string; status: 'refused'; reason: Reason; evidence?: Evidence }
  | { requestId: string; status: 'waiting'; deadline: string }
  | { requestId: string; status: 'failed'; reason: Reason; retryable: boolean };

/** What a connector gets with every call. */
export interface ConnectorContext {
  source: Source;
  /** Aborted at the enquiry's timeout, the case's deadline or on cancellation. */
  signal: AbortSignal;
  /** 1 on the first attempt. */
  attempt: number;
  clock: Clock;
}

/**
 * A transport. `send` gets a batch of enquiries for one source (at most its `batchSize`) and
 * returns one outcome per enquiry, in any order. It throws only for its own bugs: every failure of
 * the source or the network is an outcome.
 */
export interface Connector {
  /**
   * The transport kind it serves: `io-module`, `rest`, `soap`, `async`, `xroad`, or a custom name.
   */
  readonly kind: string;
  send(batch: readonly Enquiry[], context: ConnectorContext): Promise<RawOutcome[]>;
  /**
   * For sources that answer later (`waiting`): the answers that arrived since the last call, by
   * pull or by callback. The Tray calls it periodically and records each answer exactly once.
   */
  collect?(source: Source, context: { signal: AbortSignal; clock: Clock }): Promise<RawOutcome[]>;
  close?(): Promise<void>;
}
