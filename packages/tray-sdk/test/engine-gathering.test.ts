import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { testBackends } from '@interop-blocks/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrayDb } from '../src/engine/tables.js';
import type { TrayEvent } from '../src/engine/types.js';
import { startFaultServer, type FaultServer } from './support/fault-server.js';
import {
  HOUSEHOLD,
  householdAnswer,
  householdCase,
  householdCatalogue,
  openTrayWorld,
  type TrayWorld,
} from './support/tray-world.js';

describe.each(testBackends())('gathering a case on %s', (backend) => {
  let server: FaultServer;
  let world: TrayWorld | undefined;

  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('asks the household, then every member, and hands back normalised answers once', async () => {
    server.answer('crp.household', () => householdAnswer());
    server.answer('furs.income', (q) => ({
      items: [{ amount: q.get('id') === HOUSEHOLD.small ? 0 : 1200.5, year: 2025, extra: 'x' }],
      period: `${q.get('from')}..${q.get('to')}`,
    }));
    server.answer('bank.a.balances', (q) => ({ balance: 10, on: q.get('on') }));
    world = await openTrayWorld(backend, householdCatalogue(server.url));
    const events: TrayEvent[] = [];
    world.tray.subscribe((e) => events.push(e));
    const ends: Record<string, unknown>[] = [];
    const onEnd = (message: unknown) => ends.push(message as Record<string, unknown>);
    subscribe('interop:tray:enquiry:end', onEnd);

    await world.tray.start();
    const opened = await world.tray.open(householdCase());
    const ended = await world.tray.wait(opened.id);
    unsubscribe('interop:tray:enquiry:end', onEnd);

    expect(ended.status).toBe('finished');
    const result = await world.tray.collect(opened.id);
    expect(result.alreadyCollected).toBe(false);
    expect(result.steps.map((s) => [s.id, s.status, s.enquiries])).toEqual([
      ['household', 'planned', 1],
      ['income', 'planned', 4],
      ['banks', 'planned', 2],
    ]);
    const bySubject = new Map(result.subjects.map((s) => [s.subject.id, s.answers]));
    expect(bySubject.get(HOUSEHOLD.small)!.map((a) => a.source)).toEqual(['furs.income']);
    const income = bySubject.get(HOUSEHOLD.spouse)!.find((a) => a.source === 'furs.income')!;
    expect(income).toMatchObject({
      status: 'found',
      records: [{ income: 1200.5, year: 2025 }],
      period: { from: '2025-01-01', to: '2025-12-31' },
      attempts: 1,
    });
    expect(income.evidence?.answerHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const balance = bySubject.get(HOUSEHOLD.spouse)!.find((a) => a.source === 'bank.a.balances')!;
    expect(balance).toMatchObject({ status: 'found', referenceDate: '2026-03-02' });
    // The teenager is 13 on the application date: no balance enquiry (minAge 15).
    expect(bySubject.get(HOUSEHOLD.teen)!.map((a) => a.source)).toEqual(['furs.income']);

    // Each enquiry reached its source once, by its own request id.
    for (const source of ['crp.household', 'furs.income', 'bank.a.balances']) {
      expect([...server.hits.get(source)!.values()].every((n) => n === 1)).toBe(true);
    }
    expect(events.filter((e) => e.type === 'enquiry')).toHaveLength(7);
    expect(events.at(-1)).toEqual({ type: 'case', caseId: opened.id, status: 'finished' });

    // Diagnostics carry no personal data.
    expect(ends).toHaveLength(7);
    expect(JSON.stringify(ends)).not.toContain(HOUSEHOLD.applicant);
    expect(ends[0]).toMatchObject({ source: 'crp.household', status: 'found', attempt: 1 });

    // Payloads are handed out once; metadata stays.
    const again = await world.tray.collect(opened.id);
    expect(again.alreadyCollected).toBe(true);
    expect(again.subjects.flatMap((s) => s.answers).every((a) => a.records === undefined)).toBe(
      true,
    );
    expect(again.subjects.flatMap((s) => s.answers)).toHaveLength(7);

    // Every attempt and every answer is trailed with purpose, legal basis, case and official.
    const page = await world.trail.query({ case: 'CSD-2026-0042', limit: 100 });
    const actions = page.entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'query')).toHaveLength(7);
    expect(actions.filter((a) => a === 'answer')).toHaveLength(7);
    expect(page.entries[0]).toMatchObject({
      purpose: 'child-benefit',
      legalBasis: 'ZUPJS art. 5',
      official: 'official-7',
    });
  });

  it('refuses a case without an official or with an invalid applicant, storing nothing', async () => {
    world = await openTrayWorld(backend, householdCatalogue(server.url));
    await expect(world.tray.open(householdCase({ official: '' }))).rejects.toMatchObject({
      code: 'TRAY_CASE_INVALID',
      context: { field: 'official' },
    });
    await expect(
      world.tray.open(householdCase({ applicant: { scheme: 'emso', id: '0101985500000' } })),
    ).rejects.toMatchObject({ code: 'TRAY_CASE_INVALID', context: { field: 'applicant' } });
    await expect(world.tray.open(householdCase({ purpose: 'rent-subsidy' }))).rejects.toMatchObject(
      { code: 'TRAY_PURPOSE_UNKNOWN' },
    );
    await expect(world.tray.collect('0190aaaa-0000-7000-8000-000000000000')).rejects.toMatchObject({
      code: 'TRAY_CASE_NOT_FOUND',
    });
  });
});

describe.each(testBackends())('stopping and resuming on %s', (backend) => {
  it('puts attempts in flight back on stop, and a new Tray on the store finishes the case', async () => {
    const server = await startFaultServer();
    server.answer('crp.household', () => householdAnswer());
    server.answer('furs.income', () => ({ items: [{ amount: 1 }] }));
    server.answer('bank.a.balances', () => ({ balance: 1 }));
    server.delay('furs.income', 5_000);
    const keys = { hmacKey: randomBytes(32), masterKey: randomBytes(32) };
    const first = await openTrayWorld(
      backend,
      householdCatalogue(server.url, { timeoutMs: 10_000 }),
      {
        keys,
      },
    );
    const income = new Promise<void>((resolve) => {
      const onStart = (m: unknown) => {
        if ((m as { source: string }).source !== 'furs.income') return;
        unsubscribe('interop:tray:enquiry:start', onStart);
        resolve();
      };
      subscribe('interop:tray:enquiry:start', onStart);
    });

    await first.tray.start();
    const opened = await first.tray.open(householdCase());
    await income;
    await first.tray.stop();
    const rows = await first.store.store
      .db<TrayDb>()
      .selectFrom('tray_enquiry')
      .select(['status', 'source'])
      .where('source', '=', 'furs.income')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending']);

    server.delay('furs.income', 0);
    const second = await openTrayWorld(backend, householdCatalogue(server.url), {
      store: first.store,
      keys,
    });
    await second.tray.start();
    expect((await second.tray.wait(opened.id)).status).toBe('finished');
    const answers = (await second.tray.collect(opened.id)).subjects.flatMap((s) => s.answers);
    expect(answers.every((a) => a.status === 'found')).toBe(true);
    // The same request ids went out again: no new enquiry was made.
    expect(server.hits.get('furs.income')!.size).toBe(4);
    await first.trail.close();
    await second.close();
    await server.close();
  });
});
