// Turns load input (NDJSON, CSV or records) into numbered items, parsed but not yet validated.

import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import { IoError } from '../errors.js';

/** The formats a load reads. */
export type LoadFormat = 'ndjson' | 'csv' | 'records';

/**
 * Input of a load: a byte or text stream (NDJSON, CSV; strings are chunks of the text, not lines),
 * or records as objects.
 */
export type LoadInput =
  | Readable
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | AsyncIterable<Record<string, unknown>>
  | Iterable<Record<string, unknown>>;

/** One item read: its line (or position), and the record or why it could not be read. */
export type InputItem =
  | { line: number; record: Record<string, unknown>; raw: string | undefined }
  | { line: number; problem: 'malformed'; raw: string };

/** Property types of the record schema, used to turn CSV text cells into typed values. */
export type CsvTypes = Readonly<Record<string, string | undefined>>;

/**
 * Reads `input` as `format`, yielding the items of each chunk as one batch (per-record awaits would
 * dominate a national load). Memory stays flat: it streams.
 */
export async function* readInput(
  input: LoadInput,
  format: LoadFormat,
  csvTypes: CsvTypes,
): AsyncGenerator<InputItem[]> {
  if (format === 'records') {
    let line = 0;
    for await (const record of input as AsyncIterable<Record<string, unknown>>) {
      line++;
      const ok = typeof record === 'object' && record !== null && !Array.isArray(record);
      yield [ok ? { line, record, raw: undefined } : { line, problem: 'malformed', raw: '' }];
    }
    return;
  }

  const stream = input instanceof Readable ? input : Readable.from(input as AsyncIterable<string>);
  if (format === 'ndjson') yield* readNdjson(stream);
  else for await (const item of readCsv(stream, csvTypes)) yield [item];
}

async function* readNdjson(stream: Readable): AsyncGenerator<InputItem[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    const items: InputItem[] = [];
    for (const raw of lines) {
      line++;
      const item = parseLine(raw, line);
      if (item) items.push(item);
    }
    yield items;
  }
  rest += decoder.end();
  if (rest.length > 0) {
    const item = parseLine(rest, line + 1);
    if (item) yield [item];
  }
}

function parseLine(raw: string, line: number): InputItem | undefined {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim().length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, problem: 'malformed', raw: text };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, problem: 'malformed', raw: text };
  }
  return { line, record: value as Record<string, unknown>, raw: text };
}

async function* readCsv(stream: Readable, types: CsvTypes): AsyncGenerator<InputItem> {
  const parser = stream.pipe(
    parseCsv({ columns: true, info: true, skip_empty_lines: true, bom: true, trim: false }),
  );
  let header: string[] | undefined;
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      header ??= checkHeader(Object.keys(row.record), types);
      yield { line: row.info.lines, record: typeCells(row.record, types), raw: undefined };
    }
  } catch (cause) {
    if (cause instanceof IoError) throw cause;
    throw new IoError('IO_LOAD_INPUT_INVALID', 'The CSV input cannot be parsed.', {
      context: { line: (cause as { lines?: number }).lines ?? null },
      cause,
    });
  }
}

function checkHeader(columns: string[], types: CsvTypes): string[] {
  const unknown = columns.filter((c) => !(c in types));
  if (unknown.length > 0) {
    throw new IoError(
      'IO_LOAD_INPUT_INVALID',
      'The CSV header names columns the record schema does not declare.',
      {
        context: { columns: unknown.slice(0, 5).join(',').slice(0, 200) },
      },
    );
  }
  return columns;
}

function typeCells(cells: Record<string, string>, types: CsvTypes): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, text] of Object.entries(cells)) {
    if (text === '') continue;
    const type = types[column];
    if (type === 'number' || type === 'integer') {
      const n = Number(text);
      record[column] = Number.isFinite(n) ? n : text;
    } else if (type === 'boolean') {
      record[column] = text === 'true' ? true : text === 'false' ? false : text;
    } else {
      record[column] = text;
    }
  }
  return record;
}
