// Loads a full distribution copy beside the live one, then switches to it atomically.

import { primaryScheme, type Dataset } from '../dataset/define-dataset.js';
import { IoError } from '../errors.js';
import type { IoTables } from './migrations.js';
import { readInput, type LoadFormat, type LoadInput } from './read-input.js';
import { recordRows, type RecordProblem, type RecordRow } from './record-rows.js';
import { buildVersion, type LoadContext } from './build-version.js';
import { RECORD_COLUMNS, countRecords, indexRecordTable, recordTable } from './version-tables.js';

/** Options of a load. */
export interface LoadOptions {
  /** How the input is encoded. */
  format: LoadFormat;
  /**
   * On a bad record: stop and leave the live version as it was (`fail`, default), or set it aside.
   */
  onInvalid?: 'fail' | 'quarantine';
  /** A label for the version (default `v<id>`), e.g. the export date. */
  label?: string;
  /** The date the data is valid on (ISO), for reference-date queries. */
  asOf?: string;
  /** Rows written per transaction. Default 5000. */
  batchRows?: number;
  /**
   * Accept a load that yields no record. Default false: an empty or wholly rejected input would
   * otherwise replace the live copy with nothing.
   */
  allowEmpty?: boolean;
  /**
   * Problems kept in the report (all are counted; quarantined ones are all stored). Default 100.
   */
  maxReportedProblems?: number;
  signal?: AbortSignal;
}

/** What a load did. */
export interface LoadReport {
  dataset: string;
  version: number;
  label: string;
  records: number;
  subjects: number;
  rejected: number;
  problems: RecordProblem[];
  ms: number;
}

/** Loads `input` as a new version of `dataset`; see {@link DistributionCopy.load}. */
export async function loadVersion(
  ctx: LoadContext,
  dataset: Dataset,
  input: LoadInput,
  options: LoadOptions,
): Promise<LoadReport> {
  const started = ctx.clock.now();
  const row = { label: options.label, kind: 'full' as const, asOf: options.asOf };

  return buildVersion(ctx, dataset, row, options.signal, async (id) => {
    const written = await writeRecords(ctx, dataset, id, input, options);
    await indexRecordTable(ctx.store.db(), id);
    const counts = await countRecords(ctx.store.db(), id, primaryScheme(dataset), written.accepted);
    if (counts.records === 0 && !options.allowEmpty) {
      throw new IoError(
        'IO_LOAD_INPUT_INVALID',
        'The load holds no valid record; the live copy is kept.',
        {
          context: { dataset: dataset.id, rejected: written.rejected },
        },
      );
    }
    const report = {
      dataset: dataset.id,
      label: options.label ?? `v${id}`,
      ...counts,
      rejected: written.rejected,
      problems: written.problems,
      ms: ctx.clock.now() - started,
    };
    return { counts, rejected: written.rejected, report };
  });
}

async function writeRecords(
  ctx: LoadContext,
  dataset: Dataset,
  id: number,
  input: LoadInput,
  options: LoadOptions,
): Promise<{ accepted: number; rejected: number; problems: RecordProblem[] }> {
  const batchRows = options.batchRows ?? 5000;
  const maxProblems = options.maxReportedProblems ?? 100;
  const table = recordTable(id);
  const problems: RecordProblem[] = [];
  let quarantine: IoTables['io_quarantine'][] = [];
  let rows: RecordRow[] = [];
  let rejected = 0;
  let accepted = 0;

  const flush = async (): Promise<void> => {
    options.signal?.throwIfAborted();
    const batch = rows;
    const held = quarantine;
    rows = [];
    quarantine = [];
    await ctx.store.transaction<IoTables, void>(async (trx) => {
      await ctx.store.insertMany(trx, table, RECORD_COLUMNS, batch);
      if (held.length > 0) await trx.insertInto('io_quarantine').values(held).execute();
    });
  };

  for await (const items of readInput(input, options.format, csvTypes(dataset))) {
    for (const item of items) {
      const result =
        'problem' in item
          ? ({ line: item.line, code: 'malformed', path: '/' } satisfies RecordProblem)
          : recordRows(dataset, ctx.schemes, item.record, item.raw, item.line, item.line);

      if (Array.isArray(result)) {
        accepted++;
        for (const row of result) rows.push(row);
        continue;
      }
      rejected++;
      if (problems.length < maxProblems) problems.push(result);
      if (options.onInvalid !== 'quarantine') throw invalidRecord(dataset, result);
      const raw = item.raw ?? JSON.stringify('record' in item ? item.record : null);
      quarantine.push({
        version: id,
        line: result.line,
        code: result.code,
        path: result.path,
        raw,
      });
    }
    if (rows.length >= batchRows || quarantine.length >= batchRows) await flush();
  }
  await flush();
  return { accepted, rejected, problems };
}

function invalidRecord(dataset: Dataset, problem: RecordProblem): IoError {
  return new IoError(
    'IO_LOAD_INVALID_RECORD',
    `Record at line ${problem.line} is invalid (${problem.code} at ${problem.path}).`,
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

function csvTypes(dataset: Dataset): Record<string, string | undefined> {
  const properties = dataset.declaration.recordSchema.properties as Record<
    string,
    { type?: unknown }
  >;
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [
      name,
      typeof schema?.type === 'string' ? schema.type : undefined,
    ]),
  );
}
