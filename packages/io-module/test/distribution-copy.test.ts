import { Readable } from 'node:stream';
import { ManualClock } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IoError, openDistributionCopy, type DistributionCopy } from '../src/index.js';
import {
  emso,
  incomeDeclaration,
  incomeNdjson,
  incomeRecords,
  taxNumber,
} from './fixtures/income-dataset.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof IoError ? err.code : `uncoded: ${String(err)}`;
  }
  return undefined;
}

const byEmso = (n: number) => ({ scheme: 'emso', id: emso(n) });

describe.each(testBackends())('distribution copy on %s', (backend) => {
  let t: TestStore;
  let copy: DistributionCopy;
  let clock: ManualClock;

  beforeEach(async () => {
    t = await openTestStore(backend);
    clock = new ManualClock('2026-12-03T08:00:00Z');
    copy = await openDistributionCopy({ store: t.store, datasets: [incomeDeclaration], clock });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('loads NDJSON and answers every subject with its records in load order', async () => {
    const report = await copy.load('furs.income', Readable.from([incomeNdjson(50)]), {
      format: 'ndjson',
      label: '2026-12-01',
    });
    expect(report).toMatchObject({ records: 150, subjects: 50, rejected: 0, label: '2026-12-01' });

    const result = await copy.lookup('furs.income', [byEmso(7), { scheme: 'emso', id: emso(999) }]);
    expect(result.version).toMatchObject({
      id: report.version,
      state: 'live',
      label: '2026-12-01',
    });
    expect(result.records.get(`emso:${emso(7)}`)).toEqual(incomeRecords(7));
    expect(result.records.has(`emso:${emso(999)}`)).toBe(false);

    const byTax = await copy.lookup('furs.income', [{ scheme: 'tax', id: taxNumber(7) }]);
    expect(byTax.records.get(`tax:${taxNumber(7)}`)).toHaveLength(3);
  });

  it('loads CSV, typing cells by the record schema', async () => {
    const csv =
      'emso,month,amount,payer\n' + `${emso(1)},2025-01,1200.5,p1\n${emso(1)},2025-02,1300,\n`;
    const report = await copy.load('furs.income', Readable.from([csv]), { format: 'csv' });
    expect(report.records).toBe(2);
    const found = await copy.lookup('furs.income', [byEmso(1)]);
    expect(found.records.get(`emso:${emso(1)}`)).toEqual([
      { emso: emso(1), month: '2025-01', amount: 1200.5, payer: 'p1' },
      { emso: emso(1), month: '2025-02', amount: 1300 },
    ]);
  });

  it('refuses a CSV whose header names undeclared columns, before writing anything', async () => {
    const csv = `emso,month,amount,salary\n${emso(1)},2025-01,1,2\n`;
    expect(await codeOf(copy.load('furs.income', Readable.from([csv]), { format: 'csv' }))).toBe(
      'IO_LOAD_INPUT_INVALID',
    );
    expect(await copy.live('furs.income')).toBeUndefined();
  });

  it('fails a load on a bad record with its line number and keeps the live version', async () => {
    const first = await copy.load('furs.income', Readable.from([incomeNdjson(5)]), {
      format: 'ndjson',
    });
    const text = incomeNdjson(5, 2000).split('\n');
    text[7] = '{"emso": "not json"';
    const err = await copy
      .load('furs.income', Readable.from([text.join('\n')]), { format: 'ndjson' })
      .catch((e: unknown) => e as IoError);
    expect(err).toMatchObject({
      code: 'IO_LOAD_INVALID_RECORD',
      context: { line: 8, problem: 'malformed' },
    });

    expect((await copy.live('furs.income'))?.id).toBe(first.version);
    const versions = await copy.versions('furs.income');
    expect(versions.map((v) => v.state)).toEqual(['failed', 'live']);
    const found = await copy.lookup('furs.income', [byEmso(0)]);
    expect(found.records.get(`emso:${emso(0)}`)?.[0]?.amount).toBe(1000);
  });

  it('quarantines bad records on request and reports each with its line', async () => {
    const lines = incomeNdjson(4).trim().split('\n');
    lines[2] = JSON.stringify({ emso: emso(0), month: '2025-13x', amount: 1 });
    lines[5] = JSON.stringify({ emso: '0101006500007', month: '2025-01', amount: 1 });
    const report = await copy.load('furs.income', [lines.join('\n')], {
      format: 'ndjson',
      onInvalid: 'quarantine',
    });
    expect(report.rejected).toBe(2);
    expect(report.problems).toEqual([
      { line: 3, code: 'schema', path: '/month' },
      { line: 6, code: 'identifier', path: '/emso' },
    ]);
    const held = await copy.quarantined(report.version);
    expect(held.map((h) => [Number(h.line), h.code])).toEqual([
      [3, 'schema'],
      [6, 'identifier'],
    ]);
  });

  it('refuses a load in which no record survives, unless empty loads are allowed', async () => {
    const first = await copy.load('furs.income', Readable.from([incomeNdjson(2)]), {
      format: 'ndjson',
    });
    const garbage = Readable.from(['{"emso": 1}\nnot json\n']);
    expect(
      await codeOf(
        copy.load('furs.income', garbage, { format: 'ndjson', onInvalid: 'quarantine' }),
      ),
    ).toBe('IO_LOAD_INPUT_INVALID');
    expect((await copy.live('furs.income'))?.id).toBe(first.version);
    const emptied = await copy.load('furs.income', Readable.from(['']), {
      format: 'ndjson',
      allowEmpty: true,
    });
    expect(emptied.records).toBe(0);
  });

  it('never shows a reader a half-loaded copy', async () => {
    await copy.load('furs.income', Readable.from([incomeNdjson(3)]), { format: 'ndjson' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const halfway = new Promise<void>((resolve) => (reached = resolve));

    async function* slowRecords() {
      for (let n = 0; n < 3; n++) for (const r of incomeRecords(n, 3, 5000)) yield r;
      reached();
      await gate;
      for (const r of incomeRecords(3, 3, 5000)) yield r;
    }
    const loading = copy.load('furs.income', slowRecords(), { format: 'records', batchRows: 2 });

    await halfway;
    const during = await copy.lookup('furs.income', [byEmso(0), byEmso(3)]);
    expect(during.records.get(`emso:${emso(0)}`)?.[0]?.amount).toBe(1000);
    expect(during.records.has(`emso:${emso(3)}`)).toBe(false);

    release();
    const report = await loading;
    const after = await copy.lookup('furs.income', [byEmso(0), byEmso(3)]);
    expect(after.version.id).toBe(report.version);
    expect(after.records.get(`emso:${emso(0)}`)?.[0]?.amount).toBe(5000);
    expect(after.records.get(`emso:${emso(3)}`)).toHaveLength(3);
  });

  it('aborts a load on its signal and keeps the live version', async () => {
    const first = await copy.load('furs.income', Readable.from([incomeNdjson(2)]), {
      format: 'ndjson',
    });
    const controller = new AbortController();
    async function* records() {
      for (let n = 0; n < 100; n++) {
        if (n === 10) controller.abort();
        for (const r of incomeRecords(n)) yield r;
      }
    }
    const code = await codeOf(
      copy.load('furs.income', records(), {
        format: 'records',
        batchRows: 3,
        signal: controller.signal,
      }),
    );
    expect(code).toBe('IO_LOAD_ABORTED');
    expect((await copy.live('furs.income'))?.id).toBe(first.version);
  });

  it('keeps the configured number of versions and purges older ones', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await copy.load('furs.income', Readable.from([incomeNdjson(2, i)]), { format: 'ndjson' }))
          .version,
      );
    }
    const states = (await copy.versions('furs.income')).map((v) => [v.id, v.state]);
    expect(states).toEqual([
      [ids[3], 'live'],
      [ids[2], 'retired'],
      [ids[1], 'purged'],
      [ids[0], 'purged'],
    ]);
    const old = await copy.lookup('furs.income', [byEmso(0)], { version: ids[2] });
    expect(old.records.get(`emso:${emso(0)}`)?.[0]?.amount).toBe(2);
    expect(await codeOf(copy.lookup('furs.income', [byEmso(0)], { version: ids[0] }))).toBe(
      'IO_VERSION_UNKNOWN',
    );
  });

  it('applies a change set as a new version: puts replace, deletes remove, others stay', async () => {
    const base = await copy.load('furs.income', Readable.from([incomeNdjson(5)]), {
      format: 'ndjson',
    });
    const report = await copy.applyChanges('furs.income', [
      { op: 'put', subject: byEmso(1), records: incomeRecords(1, 1, 7777) },
      { op: 'delete', subject: byEmso(2) },
      { op: 'put', subject: byEmso(42), records: incomeRecords(42, 2) },
    ]);
    expect(report).toMatchObject({
      baseVersion: base.version,
      puts: 2,
      deletes: 1,
      records: 15 - 3 - 3 + 1 + 2,
    });

    const now = await copy.lookup('furs.income', [byEmso(0), byEmso(1), byEmso(2), byEmso(42)]);
    expect(now.version.kind).toBe('changes');
    expect(now.records.get(`emso:${emso(0)}`)).toHaveLength(3);
    expect(now.records.get(`emso:${emso(1)}`)).toEqual(incomeRecords(1, 1, 7777));
    expect(now.records.has(`emso:${emso(2)}`)).toBe(false);
    expect(now.records.get(`emso:${emso(42)}`)).toHaveLength(2);

    const byTax = await copy.lookup('furs.income', [
      { scheme: 'tax', id: taxNumber(2) },
      { scheme: 'tax', id: taxNumber(1) },
    ]);
    expect(byTax.records.has(`tax:${taxNumber(2)}`)).toBe(false);
    expect(byTax.records.get(`tax:${taxNumber(1)}`)).toHaveLength(1);

    const before = await copy.lookup('furs.income', [byEmso(2)], { version: base.version });
    expect(before.records.get(`emso:${emso(2)}`)).toHaveLength(3);
  });

  it('refuses a change set before any load, and an invalid change', async () => {
    expect(
      await codeOf(copy.applyChanges('furs.income', [{ op: 'delete', subject: byEmso(1) }])),
    ).toBe('IO_VERSION_NONE');
    await copy.load('furs.income', Readable.from([incomeNdjson(2)]), { format: 'ndjson' });
    const wrongSubject = { op: 'put' as const, subject: byEmso(1), records: incomeRecords(0, 1) };
    expect(await codeOf(copy.applyChanges('furs.income', [wrongSubject]))).toBe(
      'IO_CHANGE_INVALID',
    );
    const badId = { op: 'delete' as const, subject: { scheme: 'emso', id: '123' } };
    expect(await codeOf(copy.applyChanges('furs.income', [badId]))).toBe('IO_CHANGE_INVALID');
  });

  it('answers as of a reference date when the dataset is versioned by date', async () => {
    const dated = await openDistributionCopy({
      store: t.store,
      datasets: [
        { ...incomeDeclaration, id: 'furs.assessment', versionedByDate: true, keepVersions: 5 },
      ],
      clock,
    });
    await dated.load('furs.assessment', incomeRecords(0, 1, 100), {
      format: 'records',
      asOf: '2024-12-31',
    });
    await dated.load('furs.assessment', incomeRecords(0, 1, 200), {
      format: 'records',
      asOf: '2025-12-31',
    });
    const amountOn = async (referenceDate: string) =>
      (await dated.lookup('furs.assessment', [byEmso(0)], { referenceDate })).records.get(
        `emso:${emso(0)}`,
      )?.[0]?.amount;
    expect(await amountOn('2025-06-30')).toBe(100);
    expect(await amountOn('2026-01-01')).toBe(200);
    expect(
      await codeOf(dated.lookup('furs.assessment', [byEmso(0)], { referenceDate: '2020-01-01' })),
    ).toBe('IO_VERSION_NONE');
  });

  it('lets another process see a switch within its live cache period', async () => {
    const reader = await openDistributionCopy({
      store: t.store,
      datasets: [incomeDeclaration],
      clock,
      liveCacheMs: 1000,
    });
    const first = await copy.load('furs.income', Readable.from([incomeNdjson(1)]), {
      format: 'ndjson',
    });
    expect((await reader.lookup('furs.income', [byEmso(0)])).version.id).toBe(first.version);
    const second = await copy.load('furs.income', Readable.from([incomeNdjson(1, 9)]), {
      format: 'ndjson',
    });
    expect((await reader.lookup('furs.income', [byEmso(0)])).version.id).toBe(first.version);
    clock.advance(1000);
    expect((await reader.lookup('furs.income', [byEmso(0)])).version.id).toBe(second.version);
  });

  it('refuses unknown datasets and oversized batches with codes', async () => {
    expect(await codeOf(copy.lookup('furs.unknown', [byEmso(0)]))).toBe('IO_DATASET_UNKNOWN');
    const many = Array.from({ length: 1001 }, (_, n) => byEmso(n));
    expect(await codeOf(copy.lookup('furs.income', many))).toBe('IO_BATCH_TOO_LARGE');
    expect(await codeOf(copy.lookup('furs.income', [byEmso(0)]))).toBe('IO_VERSION_NONE');
  });
});
