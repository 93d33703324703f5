// Queries of the trail (by subject, principal, case, source, period) and the subject access report.

import type { Clock, Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { DataKeys } from './data-keys.js';
import type { RecordTable, TrailDb } from './schema.js';
import { open, sealedAad, subjectHmac } from './subject-crypto.js';
import type { TrailDetails, TrailKey, TrailSubject, TrailVerification } from './types.js';
import type { VerifyOptions } from './verify-store.js';

/** What a query selects; criteria combine with AND. At least one is required. */
export interface TrailQuery {
  subject?: TrailSubject;
  principal?: string;
  case?: string;
  source?: string;
  /** Records at or after this time. */
  from?: Date | number;
  /** Records before this time. */
  to?: Date | number;
  /** The `next` cursor of the previous page. */
  after?: string;
  /** Records per page, 1..1000. Default 100. */
  limit?: number;
  /** Decrypt payload copies that are still kept. Default false. */
  includePayloads?: boolean;
}

/** Whether an encrypted copy can still be read. */
export type CopyState = 'absent' | 'readable' | 'purged' | 'unreadable';

/** One record, as a person reads it. */
export interface TrailEntry {
  seq: number;
  hash: string;
  time: Date;
  action: string;
  principal: string;
  official: string | null;
  source: string | null;
  subject: TrailSubject | null;
  subjectState: CopyState;
  purpose: string | null;
  legalBasis: string | null;
  case: string | null;
  decision: string | null;
  reasonCode: string | null;
  status: string | null;
  requestId: string | null;
  requestHash: string | null;
  answerHash: string | null;
  details: TrailDetails | null;
  payload: Uint8Array | null;
  payloadState: CopyState;
}

/** One page of a query; pass `next` as `after` for the following one. */
export interface TrailPage {
  entries: TrailEntry[];
  next: string | undefined;
}

/** Options of the subject access report. */
export interface SubjectReportOptions {
  from?: Date | number;
  to?: Date | number;
  includePayloads?: boolean;
  /** Also verify the whole chain and include the result. Default false. */
  verify?: boolean;
  signal?: AbortSignal;
}

/** Who looked at one person's data: every record about them, in chain order. */
export interface SubjectAccessReport {
  trail: string;
  generatedAt: Date;
  entries: TrailEntry[];
  /** The chain verification, when asked for. */
  verification?: TrailVerification;
}

/** What queries need from the trail. */
export interface QueryContext {
  store: Store;
  trail: string;
  hmacKeys: TrailKey[];
  dataKeys: DataKeys;
  clock: Clock;
}

/**
 * One page of records matching `query`, oldest first (keyset pagination on seq).
 * @throws SecurityError `TRAIL_QUERY_INVALID`.
 */
export async function queryTrail(
  context: QueryContext,
  query: TrailQuery,
  signal?: AbortSignal,
): Promise<TrailPage> {
  const limit = query.limit ?? 100;
  const after = parseCursor(query.after);
  const from = toMillis(query.from, 'from');
  const to = toMillis(query.to, 'to');
  const hasCriterion =
    query.subject ||
    query.principal ||
    query.case ||
    query.source ||
    from !== undefined ||
    to !== undefined;
  if (!hasCriterion) invalid('A query needs a subject, principal, case, source or period.');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    invalid('A page holds 1 to 1000 records.');
  signal?.throwIfAborted();

  let select = context.store
    .db<TrailDb>()
    .selectFrom('trail_records')
    .selectAll()
    .where('trail', '=', context.trail)
    .where('seq', '>', after);
  if (query.subject) {
    const subject = query.subject;
    if (typeof subject.scheme !== 'string' || typeof subject.id !== 'string')
      invalid('A subject has a scheme and an id.');
    select = select.where(
      'subject_hmac',
      'in',
      context.hmacKeys.map((k) => subjectHmac(k.key, subject)),
    );
  }
  if (query.principal) select = select.where('principal', '=', query.principal);
  if (query.case) select = select.where('case_ref', '=', query.case);
  if (query.source) select = select.where('source', '=', query.source);
  if (from !== undefined) select = select.where('time', '>=', from);
  if (to !== undefined) select = select.where('time', '<', to);
  const rows = await select.orderBy('seq').limit(limit).execute();

  const entries: TrailEntry[] = [];
  for (const row of rows) entries.push(await toEntry(context, row, query.includePayloads ?? false));
  const last = rows[rows.length - 1];
  return { entries, next: rows.length === limit && last ? String(last.seq) : undefined };
}

/**
 * Every record about `subject`, decrypted where the keys still exist.
 * @throws SecurityError `TRAIL_QUERY_INVALID`.
 */
export async function subjectAccessReport(
  context: QueryContext,
  subject: TrailSubject,
  options: SubjectReportOptions = {},
  verify: (options: VerifyOptions) => Promise<TrailVerification>,
): Promise<SubjectAccessReport> {
  const entries: TrailEntry[] = [];
  let after: string | undefined;
  do {
    const page = await queryTrail(
      context,
      {
        subject,
        from: options.from,
        to: options.to,
        includePayloads: options.includePayloads,
        after,
        limit: 1000,
      },
      options.signal,
    );
    entries.push(...page.entries);
    after = page.next;
  } while (after);

  const report: SubjectAccessReport = {
    trail: context.trail,
    generatedAt: new Date(context.clock.now()),
    entries,
  };
  if (options.verify) report.verification = await verify({ signal: options.signal });
  return report;
}

async function toEntry(
  context: QueryContext,
  row: RecordTable,
  withPayload: boolean,
): Promise<TrailEntry> {
  const subject = await decrypt(context, row, 'subject');
  const payload = withPayload
    ? await decrypt(context, row, 'payload')
    : { state: 'absent' as const };
  let parsedSubject: TrailSubject | null = null;
  if (subject.bytes) {
    const [scheme, id] = JSON.parse(subject.bytes.toString('utf8')) as [string, string];
    parsedSubject = { scheme, id };
  }
  return {
    seq: row.seq,
    hash: row.hash,
    time: new Date(row.time),
    action: row.action,
    principal: row.principal,
    official: row.official,
    source: row.source,
    subject: parsedSubject,
    subjectState: row.subject_hmac ? subject.state : 'absent',
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    case: row.case_ref,
    decision: row.decision,
    reasonCode: row.reason_code,
    status: row.status,
    requestId: row.request_id,
    requestHash: row.request_hash,
    answerHash: row.answer_hash,
    details: row.details ? (JSON.parse(row.details) as TrailDetails) : null,
    payload: payload.bytes ? new Uint8Array(payload.bytes) : null,
    payloadState: withPayload && row.payload_digest ? payload.state : 'absent',
  };
}

async function decrypt(
  context: QueryContext,
  row: RecordTable,
  role: 'subject' | 'payload',
): Promise<{ state: CopyState; bytes?: Buffer }> {
  const digest = role === 'subject' ? row.subject_digest : row.payload_digest;
  const sealed = role === 'subject' ? row.subject_cipher : row.payload_cipher;
  if (!digest) return { state: 'absent' };
  if (!sealed || !row.data_key_id) return { state: 'purged' };

  let key;
  try {
    key = await context.dataKeys.get(row.data_key_id);
  } catch {
    return { state: 'unreadable' };
  }
  if (key.state !== 'ok') return { state: 'purged' };
  const bytes = open(key.key, sealed, sealedAad(context.trail, row.data_key_id, role));
  return bytes ? { state: 'readable', bytes } : { state: 'unreadable' };
}

function parseCursor(after: string | undefined): number {
  if (after === undefined) return 0;
  if (typeof after !== 'string' || !/^\d{1,15}$/.test(after))
    invalid('The cursor is not one this trail gave.');
  return Number(after);
}

function toMillis(value: Date | number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) invalid(`The ${field} time is not a valid time.`);
  return ms;
}

function invalid(message: string): never {
  throw new SecurityError('TRAIL_QUERY_INVALID', message);
}
