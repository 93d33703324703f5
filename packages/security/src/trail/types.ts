// The public types of the trail: what callers append, what they get back, what verify() reports.

import type { AnswerStatus, Clock, Store } from '@interop-blocks/core';

/** Non-personal facts about an access: fields released, copy version, counts, ... */
export type TrailDetails = Record<string, string | number | boolean | null>;

/** The subject of a record: the person the data is about. */
export interface TrailSubject {
  /** Identifier scheme, e.g. `emso` or `tax`. */
  scheme: string;
  id: string;
}

/**
 * One access or exchange to record. `action` and `principal` are required; everything else is
 * recorded when given. The subject and the payload are never stored in clear.
 */
export interface TrailRecordInput {
  /** What happened, e.g. `query`, `answer`, `authorize`, `administer`. */
  action: string;
  /** Who did it: the organisation or application principal. */
  principal: string;
  /** The official (user) acting for the principal. */
  official?: string;
  /** The source asked or served, e.g. `furs.income`. */
  source?: string;
  subject?: TrailSubject;
  purpose?: string;
  legalBasis?: string;
  case?: string;
  decision?: 'allowed' | 'refused';
  reasonCode?: string;
  status?: AnswerStatus;
  requestId?: string;
  requestHash?: string;
  answerHash?: string;
  /** Non-personal facts only: fields released, version, ... */
  details?: TrailDetails;
  /** Optional copy of the exchanged content; encrypted and purgeable. */
  payload?: Uint8Array;
}

/** Where an acknowledged record landed in its chain. */
export interface TrailAppendResult {
  seq: number;
  /** The record hash, lower-case hex SHA-256. */
  hash: string;
}

/** What a component that trails its work needs: one method. */
export interface TrailAppender {
  /**
   * Records one access. Resolves once the record is committed (it survives a crash).
   *
   * @throws SecurityError `TRAIL_RECORD_INVALID`, `TRAIL_CLOSED`, `TRAIL_APPEND_ABORTED`,
   *   `TRAIL_APPEND_FAILED`.
   */
  append(input: TrailRecordInput, options?: { signal?: AbortSignal }): Promise<TrailAppendResult>;
}

/** The signature algorithms of checkpoints. ECDSA signatures are DER-encoded. */
export type TrailSignatureAlgorithm = 'ecdsa-sha256' | 'rsa-pkcs1-sha256' | 'rsa-pss-sha256';

/** The organisation's signing key, as a function, with its certificate chain (leaf first). */
export interface TrailSigner {
  algorithm: TrailSignatureAlgorithm;
  /** Signs the checkpoint bytes. */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
  /** Certificate chain, leaf first, as PEM text. Give this or `certificates`. */
  certificateChainPem?: string;
  /** Certificate chain, leaf first, as DER. Give this or `certificateChainPem`. */
  certificates?: Uint8Array[];
}

/** A secret with a stable id, so that it can be rotated. */
export interface TrailKey {
  id: string;
  /** 32 bytes. */
  key: Uint8Array;
}

/**
 * The keys that protect subjects and payloads.
 *
 * Subjects are searchable through an HMAC-SHA-256 under `hmacKeys[0]` (older keys still match).
 * Subjects and payloads are encrypted with AES-256-GCM under a random data key per period; data
 * keys are stored wrapped under `masterKeys[0]` (older master keys still unwrap), and deleting a
 * period's data key makes that period unreadable while the chain stays verifiable.
 */
export interface TrailSubjectKeys {
  hmacKeys: TrailKey[];
  masterKeys: TrailKey[];
  /** How long one data key is used. Default `month`. */
  keyPeriod?: 'day' | 'month' | 'year';
}

/** A retention rule for the records of some sources. */
export interface TrailSourceRetention {
  /** A source id, or a prefix ending in `*` (`bank.*`). */
  source: string;
  /** Purge payload copies older than this. */
  payloadsAfterMs?: number;
  /** Purge the encrypted subject copies older than this (the HMAC stays searchable). */
  subjectsAfterMs?: number;
}

/** Retention of what the trail may forget: payload copies, subject copies, data keys. */
export interface TrailRetention {
  /** Purge every payload copy older than this. */
  payloadsAfterMs?: number;
  /** Delete data keys whose period ended longer ago than this (crypto-shredding). */
  keysAfterMs?: number;
  /** Stricter rules per source. */
  sources?: TrailSourceRetention[];
}

/** Options of {@link openTrail}. */
export interface OpenTrailOptions {
  store: Store;
  /** The chain's name: one chain per name. Lower-case word, e.g. `io-module`. */
  name: string;
  subjectKeys: TrailSubjectKeys;
  signer: TrailSigner;
  /** Sign the head every `records` appends or every `ms`. Default 1000 records, 60 s. */
  checkpointEvery?: { records?: number; ms?: number };
  clock?: Clock;
  /** Group commit: up to `maxRecords` a transaction, waiting at most `maxDelayMs`. */
  batch?: { maxRecords?: number; maxDelayMs?: number; maxQueued?: number };
  retention?: TrailRetention;
}

/** What kind of damage verify() found. */
export type TrailProblemKind =
  'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'checkpoint-invalid';

/** One finding of verify(): which record, and what is wrong with it. */
export interface TrailProblem {
  kind: TrailProblemKind;
  /** The position in the chain. */
  seq: number;
  /** A sentence for people; never personal data. */
  detail: string;
}

/** The result of verify(). */
export interface TrailVerification {
  ok: boolean;
  /** Records checked. */
  records: number;
  /** Checkpoints checked. */
  checkpoints: number;
  /** The last record checked. */
  head: TrailAppendResult | undefined;
  /** Certificates (SHA-256 fingerprints of the leaf) that signed the valid checkpoints. */
  signers: string[];
  problems: TrailProblem[];
}
