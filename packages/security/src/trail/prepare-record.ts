// Checks an appended record and turns it into its stored columns (subject hashed and encrypted).

import { ANSWER_STATUSES } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import {
  RECORD_FORMAT,
  canonicalDetails,
  canonicalHead,
  canonicalTail,
  sha256Hex,
} from './canonical.js';
import type { RecordTable } from './schema.js';
import type { SubjectCache } from './subject-cache.js';
import { seal, sealedAad } from './subject-crypto.js';
import type { TrailKey, TrailRecordInput } from './types.js';

/**
 * A record ready for the chain: every column, its position and links still blank (filled in by
 * the write transaction), and the canonical text around `prev_hash`.
 */
export interface PreparedRecord {
  row: RecordTable;
  canonicalHead: string;
  canonicalTail: string;
}

const MAX_TEXT = 1000;
const MAX_DETAILS = 100;
const TEXT_FIELDS = [
  'official',
  'source',
  'purpose',
  'legalBasis',
  'case',
  'reasonCode',
  'requestId',
  'requestHash',
  'answerHash',
] as const;
const STATUSES: readonly string[] = ANSWER_STATUSES;

/**
 * Validates `input`. Messages name the field, never its value.
 * @throws SecurityError `TRAIL_RECORD_INVALID`.
 */
export function assertRecordInput(input: TrailRecordInput): void {
  if (typeof input !== 'object' || input === null) invalid('record', 'is not an object');
  requireText('action', input.action);
  requireText('principal', input.principal);
  for (const field of TEXT_FIELDS) {
    if (input[field] !== undefined) requireText(field, input[field]);
  }
  if (
    input.decision !== undefined &&
    input.decision !== 'allowed' &&
    input.decision !== 'refused'
  ) {
    invalid('decision', 'is neither allowed nor refused');
  }
  if (input.status !== undefined && !STATUSES.includes(input.status)) {
    invalid('status', 'is not an answer status');
  }
  if (input.subject !== undefined) {
    if (typeof input.subject !== 'object' || input.subject === null) invalid('subject', 'is bad');
    requireText('subject.scheme', input.subject.scheme);
    requireText('subject.id', input.subject.id);
  }
  if (input.details !== undefined) assertDetails(input.details);
  if (input.payload !== undefined && !(input.payload instanceof Uint8Array)) {
    invalid('payload', 'is not bytes');
  }
}

/**
 * The stored columns of `input` at `time`, with subject and payload sealed under `dataKey` (every
 * record with a subject or payload has one).
 */
export function prepareRecord(
  trail: string,
  input: TrailRecordInput,
  time: number,
  hmacKey: TrailKey,
  dataKey: { id: string; key: Uint8Array } | undefined,
  subjects: SubjectCache,
): PreparedRecord {
  const subject =
    input.subject && dataKey ? subjects.get(trail, hmacKey, dataKey, input.subject) : undefined;
  let payloadCipher: Buffer | null = null;
  if (dataKey && input.payload) {
    payloadCipher = seal(dataKey.key, input.payload, sealedAad(trail, dataKey.id, 'payload'));
  }

  const row: RecordTable = {
    trail,
    seq: 0,
    prev_hash: '',
    hash: '',
    format: RECORD_FORMAT,
    time,
    action: input.action,
    principal: input.principal,
    official: input.official ?? null,
    source: input.source ?? null,
    subject_scheme: input.subject ? input.subject.scheme.trim().toLowerCase() : null,
    hmac_key_id: subject ? hmacKey.id : null,
    subject_hmac: subject ? subject.hmac : null,
    data_key_id: dataKey && (subject || payloadCipher) ? dataKey.id : null,
    subject_digest: subject ? subject.digest : null,
    purpose: input.purpose ?? null,
    legal_basis: input.legalBasis ?? null,
    case_ref: input.case ?? null,
    decision: input.decision ?? null,
    reason_code: input.reasonCode ?? null,
    status: input.status ?? null,
    request_id: input.requestId ?? null,
    request_hash: input.requestHash ?? null,
    answer_hash: input.answerHash ?? null,
    details: input.details ? canonicalDetails(input.details) : null,
    payload_digest: payloadCipher ? sha256Hex(payloadCipher) : null,
    subject_cipher: subject ? subject.sealed : null,
    payload_cipher: payloadCipher,
  };
  return { row, canonicalHead: canonicalHead(row), canonicalTail: canonicalTail(row) };
}

function assertDetails(details: unknown): void {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    invalid('details', 'is not an object');
  }
  const entries = Object.entries(details);
  if (entries.length > MAX_DETAILS) invalid('details', 'has too many entries');
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 100) invalid('details', 'has a bad key');
    const ok =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'string' && value.length <= MAX_TEXT) ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok)
      invalid(`details.${key.slice(0, 40)}`, 'is not a string, finite number, boolean or null');
  }
}

/**
 * True when `value` holds a control character (U+0000..U+001F would make the canonical encoding
 * ambiguous) or an unpaired surrogate (stored lossily as U+FFFD).
 */
function hasUnsafeCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function requireText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    invalid(field, `must be a text of 1 to ${MAX_TEXT} characters`);
  }
  if (hasUnsafeCharacter(value as string)) {
    invalid(field, 'holds control characters or unpaired surrogates');
  }
}

function invalid(field: string, what: string): never {
  throw new SecurityError('TRAIL_RECORD_INVALID', `The record's ${field} ${what}.`, {
    context: { field },
  });
}
