// The canonical encoding (format 1) of records and checkpoints, and the record hash over it.

import { hash } from 'node:crypto';

/** The version of the record encoding; stored with every record. */
export const RECORD_FORMAT = 1;

/** The `prev_hash` of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The columns a record hash covers, as stored. Ciphertexts are absent on purpose: the hash covers
 * their SHA-256 digests, so purging a ciphertext or its key leaves the chain verifiable.
 */
export interface HashedColumns {
  trail: string;
  seq: number;
  format: number;
  time: number;
  prev_hash: string;
  hash: string;
  action: string;
  principal: string;
  official: string | null;
  source: string | null;
  subject_scheme: string | null;
  hmac_key_id: string | null;
  subject_hmac: string | null;
  data_key_id: string | null;
  subject_digest: string | null;
  purpose: string | null;
  legal_basis: string | null;
  case_ref: string | null;
  decision: string | null;
  reason_code: string | null;
  status: string | null;
  request_id: string | null;
  request_hash: string | null;
  answer_hash: string | null;
  /** Canonical JSON of the details (see {@link canonicalDetails}), or null. */
  details: string | null;
  payload_digest: string | null;
}

/** Separates the fields of the canonical encoding (U+001F UNIT SEPARATOR). */
export const FIELD_SEPARATOR = '\u001f';
/** Stands for an absent value in the canonical encoding (U+001E RECORD SEPARATOR). */
export const ABSENT = '\u001e';

/**
 * The order of the fields of the canonical encoding, format 1. `seq` is not among them: the
 * `prev_hash` link fixes the order, signed checkpoints fix the count.
 */
export const CANONICAL_FIELDS = [
  'format',
  'trail',
  'prev_hash',
  'time',
  'action',
  'principal',
  'official',
  'source',
  'subject_scheme',
  'hmac_key_id',
  'subject_hmac',
  'data_key_id',
  'subject_digest',
  'purpose',
  'legal_basis',
  'case_ref',
  'decision',
  'reason_code',
  'status',
  'request_id',
  'request_hash',
  'answer_hash',
  'details',
  'payload_digest',
] as const satisfies readonly (keyof HashedColumns)[];

/**
 * The text a record hash is computed over (format 1): the fields of {@link CANONICAL_FIELDS} in
 * that order, integers in decimal, an absent value as U+001E, joined by U+001F; hashed as UTF-8.
 * Stored text never holds U+0000..U+001F (appends refuse it; details are JSON, which escapes
 * them), so the encoding is unambiguous. Both databases can build the same text in SQL, which
 * lets verify() read one column instead of twenty-four.
 */
export function recordCanonical(r: Omit<HashedColumns, 'hash' | 'seq'>): string {
  return canonicalHead(r) + r.prev_hash + FIELD_SEPARATOR + canonicalTail(r);
}

/** The canonical text before `prev_hash` (format and trail, each followed by a separator). */
export function canonicalHead(r: Pick<HashedColumns, 'format' | 'trail'>): string {
  return String(r.format) + FIELD_SEPARATOR + r.trail + FIELD_SEPARATOR;
}

/**
 * The canonical text after `prev_hash` and its separator: known before the record's place in the
 * chain, so appends build it outside the write transaction.
 */
export function canonicalTail(r: Omit<HashedColumns, 'hash' | 'seq'>): string {
  // One join makes one flat string: queued records keep it until their batch is written, and a
  // chain of concatenations would keep dozens of small string objects alive instead.
  const parts = new Array<string>(CANONICAL_FIELDS.length - 3);
  for (let i = 3; i < CANONICAL_FIELDS.length; i++) {
    const value = r[CANONICAL_FIELDS[i] as (typeof CANONICAL_FIELDS)[number]];
    parts[i - 3] = value === null || value === undefined ? ABSENT : String(value);
  }
  return parts.join(FIELD_SEPARATOR);
}

/** SHA-256 (lower-case hex) of a canonical text built elsewhere (by SQL in verify()). */
export function canonicalHash(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}

/** SHA-256 (lower-case hex) of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/**
 * Canonical JSON of record details: keys sorted by UTF-16 code units (RFC 8785 3.2.3), values
 * strings, finite numbers, booleans or null.
 */
export function canonicalDetails(
  details: Record<string, string | number | boolean | null>,
): string {
  const sorted: Record<string, string | number | boolean | null> = {};
  for (const key of Object.keys(details).sort()) sorted[key] = details[key] ?? null;
  return JSON.stringify(sorted);
}

/** What a checkpoint signs. */
export interface CheckpointHead {
  trail: string;
  seq: number;
  hash: string;
  time: number;
}

/**
 * The bytes a checkpoint signature covers: UTF-8 of the JCS array
 * `["interop-trail-checkpoint/1", trail, seq, hash, time]`.
 */
export function checkpointBytes(head: CheckpointHead): Uint8Array {
  const text = JSON.stringify([
    'interop-trail-checkpoint/1',
    head.trail,
    head.seq,
    head.hash,
    head.time,
  ]);
  return new TextEncoder().encode(text);
}
