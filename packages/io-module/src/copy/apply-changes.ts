// Applies an incremental change set (puts and deletes by subject) as a new version, then switches.

import { InteropError, type Subject } from '@interop-blocks/core';
import { sql, type Kysely } from 'kysely';
import { primaryScheme, type Dataset } from '../dataset/define-dataset.js';
import { IoError } from '../errors.js';
import { buildVersion, type LoadContext } from './build-version.js';
import type { IoTables } from './migrations.js';
import { readInput, type LoadInput } from './read-input.js';
import { recordRows, type RecordProblem, type RecordRow } from './record-rows.js';
import {
  RECORD_COLUMNS,
  copyRecords,
  countRecords,
  indexRecordTable,
  recordTable,
  subjectKey,
} from './version-tables.js';

/** One change: replace all records of a subject, or remove them. */
export type Change =
  | { op: 'put'; subject: { scheme: string; id: string }; records: Record<string, unknown>[] }
  | { op: 'delete'; subject: { scheme: string; id: string } };

/** Options of {@link applyChangeSet}. */
export interface ChangeOptions {
  /** `records` (objects, the default) or `ndjson` (one change a line). */
  format?: 'records' | 'ndjson';
  onInvalid?: 'fail' | 'quarantine';
  label?: string;
  asOf?: string;
  /** Changes applied per transaction. Default 1000. */
  batchChanges?: number;
  signal?: AbortSignal;
}

/** What a change set did. */
export interface ChangeReport {
  dataset: string;
  version: number;
  baseVersion: number;
  puts: number;
  deletes: number;
  rejected: number;
  problems: RecordProblem[];
  records: number;
  subjects: number;
}

/** Applies `changes` to the live version of `dataset` as a new version. */
export async function applyChangeSet(
  ctx: LoadContext,
  dataset: Dataset,
  baseVersion: number,
  changes: LoadInput,
  options: ChangeOptions = {},
): Promise<ChangeReport> {
  const row = { label: options.label, kind: 'changes' as const, baseVersion, asOf: options.asOf };
  return buildVersion(ctx, dataset, row, options.signal, async (id) => {
    await copyRecords(ctx.store.db(), baseVersion, id);
    await indexRecordTable(ctx.store.db(), id);
    const applied = await applyAll(ctx, dataset, id, changes, options);
    const counts = await countRecords(ctx.store.db(), id, primaryScheme(dataset));
    const report = { dataset: dataset.id, baseVersion, ...applied, ...counts };
    return { counts, rejected: applied.rejected, report };
  });
}

async function applyAll(
  ctx: LoadContext,
  dataset: Dataset,
  id: number,
  changes: LoadInput,
  options: ChangeOptions,
): Promise<{ puts: number; deletes: number; rejected: number; problems: RecordProblem[] }> {
  const table = recordTable(id);
  const { rows } = await sql<{ next: number | string | null }>`
    select max(ord) + 1 as next from ${sql.id(table)}`.execute(ctx.store.db());
  let ord = Number(rows[0]?.next ?? 1);
  const tally = { puts: 0, deletes: 0, rejected: 0, problems: [] as RecordProblem[] };
  let batch: { line: number; change: Change; raw?: string }[] = [];

  const flush = async (): Promise<void> => {
    options.signal?.throwIfAborted();
    const todo = batch;
    batch = [];
    await ctx.store.transaction(async (trx) => {
      const held: IoTables['io_quarantine'][] = [];
      for (const { line, change, raw } of todo) {
        const result = prepare(ctx, dataset, change, line, () => ord++);
        if (!Array.isArray(result)) {
          tally.rejected++;
          if (tally.problems.length < 100) tally.problems.push(result);
          if (options.onInvalid !== 'quarantine') throw invalidChange(dataset, result);
          held.push({
            version: id,
            line,
            code: result.code,
            path: result.path,
            raw: raw ?? JSON.stringify(change),
          });
          continue;
        }
        // In order, change by change: a later change to the same subject sees the earlier one.
        await deleteSubject(trx as Kysely<unknown>, table, change.subject, ctx);
        await ctx.store.insertMany(trx, table, RECORD_COLUMNS, result);
        if (change.op === 'put') tally.puts++;
        else tally.deletes++;
      }
      if (held.length > 0)
        await (trx as Kysely<IoTables>).insertInto('io_quarantine').values(held).execute();
    });
  };

  const format = options.format === 'ndjson' ? 'ndjson' : 'records';
  for await (const items of readInput(changes, format, {})) {
    for (const item of items) {
      if ('problem' in item) {
        const problem: RecordProblem = { line: item.line, code: 'malformed', path: '/' };
        tally.rejected++;
        if (options.onInvalid !== 'quarantine') throw invalidChange(dataset, problem);
        continue;
      }
      batch.push({ line: item.line, change: item.record as unknown as Change, raw: item.raw });
    }
    if (batch.length >= (options.batchChanges ?? 1000)) await flush();
  }
  await flush();
  return tally;
}

function prepare(
  ctx: LoadContext,
  dataset: Dataset,
  change: Change,
  line: number,
  nextOrd: () => number,
): RecordRow[] | RecordProblem {
  const op = (change as { op?: unknown }).op;
  if (
    (op !== 'put' && op !== 'delete') ||
    typeof change.subject !== 'object' ||
    change.subject === null
  ) {
    return { line, code: 'malformed', path: '/op' };
  }
  let subject: Subject;
  try {
    subject = ctx.schemes.parse(change.subject);
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    return { line, code: 'identifier', path: '/subject' };
  }
  if (change.op === 'delete') return [];
  if (!Array.isArray(change.records)) return { line, code: 'malformed', path: '/records' };

  const key = subjectKey(subject.scheme, subject.id);
  const rows: RecordRow[] = [];
  for (const [i, record] of change.records.entries()) {
    const result = recordRows(dataset, ctx.schemes, record, undefined, line, nextOrd());
    if (!Array.isArray(result))
      return { ...result, path: `/records/${i}${result.path === '/' ? '' : result.path}` };
    if (!result.some(([k]) => k === key))
      return { line, code: 'identifier', path: `/records/${i}` };
    rows.push(...result);
  }
  return rows;
}

async function deleteSubject(
  trx: Kysely<unknown>,
  table: string,
  subject: { scheme: string; id: string },
  ctx: LoadContext,
): Promise<void> {
  // A record stored under several keys shares its ord across them: remove every copy.
  const parsed = ctx.schemes.parse(subject);
  const key = subjectKey(parsed.scheme, parsed.id);
  await sql`delete from ${sql.id(table)} where ord in
    (select ord from ${sql.id(table)} where subject_key = ${key})`.execute(trx);
}

function invalidChange(dataset: Dataset, problem: RecordProblem): IoError {
  return new IoError(
    'IO_CHANGE_INVALID',
    `Change at line ${problem.line} is invalid (${problem.code} at ${problem.path}).`,
    {
      context: {
        dataset: dataset.id,
        line: problem.line,
        problem: problem.code,
        path: problem.path,
      },
    },
  );
}
