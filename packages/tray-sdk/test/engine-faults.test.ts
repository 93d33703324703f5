import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import { testBackends } from '@interop-blocks/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueDeclaration, Limits } from '../src/catalogue/catalogue-schema.js';
import type { ProcessDeclaration } from '../src/process/process-schema.js';
import { startFaultServer, type Behaviour, type FaultServer } from './support/fault-server.js';
import {
  householdAnswer,
  householdCase,
  householdCatalogue,
  openTrayWorld,
  restSource,
  type TrayWorld,
} from './support/tray-world.js';

const FAULTS: Record<string, Behaviour> = {
  'f.ok': 'ok',
  'f.not-found': 'not-found',
  'f.error': 'error',
  'f.hang': 'hang',
  'f.headers': 'hang-after-headers',
  'f.malformed': 'malformed',
  'f.schema': 'schema-violating',
  'f.refuse': 'refuse',
};
const INCOME = {
  type: 'object',
  properties: { income: { type: 'number' } },
  required: ['income'],
};
const LIMITS: Limits = {
  timeoutMs: 1000,
  retries: 2,
  backoffBaseMs: 2,
  backoffMaxMs: 10,
  breakerFailures: 50,
};

/** A port nothing listens on: a source that is down for the whole run. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function faultProcess(sources: string[]): ProcessDeclaration {
  return {
    id: 'child-benefit',
    title: 'Faults',
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    steps: [{ id: 'ask', sources, subjects: { role: 'applicant' } }],
  };
}

describe.each(testBackends())('faulty sources on %s', (backend) => {
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

  it('ends every enquiry final with the right code, retrying only what may pass', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const mapping = { records: '/items', fields: { income: '/amount' } };
    const catalogue: CatalogueDeclaration = {
      version: 1,
      sources: [
        ...Object.keys(FAULTS).map((id) =>
          restSource(server.url, id, INCOME, { mapping, limits: LIMITS }),
        ),
        restSource(down, 'f.down', INCOME, { mapping, limits: LIMITS }),
      ],
    };
    for (const [id, behaviour] of Object.entries(FAULTS)) server.behave(id, behaviour);
    server.answer('f.ok', () => ({ items: [{ amount: 5 }] }));
    const sources = [...Object.keys(FAULTS), 'f.down'];
    world = await openTrayWorld(backend, catalogue, { processes: [faultProcess(sources)] });

    await world.tray.start();
    const opened = await world.tray.open(householdCase());
    expect((await world.tray.wait(opened.id)).status).toBe('finished');

    const answers = (await world.tray.collect(opened.id)).subjects[0]!.answers;
    const bySource = Object.fromEntries(
      answers.map((a) => [a.source, [a.status, a.reason?.code, a.attempts]]),
    );
    expect(bySource).toEqual({
      'f.ok': ['found', undefined, 1],
      'f.not-found': ['not_found', undefined, 1],
      'f.error': ['failed', 'SOURCE_DOWN_FOR_MAINTENANCE', 3],
      'f.hang': ['failed', 'TRAY_SOURCE_TIMEOUT', 3],
      'f.headers': ['failed', 'TRAY_SOURCE_TIMEOUT', 3],
      'f.malformed': ['failed', 'TRAY_ANSWER_MALFORMED', 1],
      'f.schema': ['failed', 'TRAY_ANSWER_INVALID', 1],
      // The REST connector reports a 4xx as a permanent failure with the source's own code.
      'f.refuse': ['failed', 'NO_RIGHT', 1],
      'f.down': ['failed', 'TRAY_SOURCE_UNREACHABLE', 3],
    });
    // Retries used the same request id, and stayed within 1 + retries.
    for (const id of ['f.error', 'f.hang', 'f.headers']) {
      expect([...server.hits.get(id)!.values()]).toEqual([3]);
    }
    expect([...server.hits.get('f.schema')!.values()]).toEqual([1]);
  });

  it('opens the breaker after consecutive failures and closes it after a good probe', async () => {
    const states: string[] = [];
    const onChange = (m: unknown) => {
      const { source, state } = m as { source: string; state: string };
      if (source !== 'furs.income') return;
      states.push(state);
      // The source comes back while the breaker is open.
      if (state === 'open') server.behave('furs.income', 'ok');
    };
    subscribe('interop:tray:breaker:change', onChange);
    server.behave('crp.household', 'ok');
    server.answer('crp.household', () => householdAnswer());
    server.behave('furs.income', 'error');
    server.answer('furs.income', () => ({ items: [{ amount: 1 }] }));
    server.hits.delete('furs.income');
    world = await openTrayWorld(
      backend,
      householdCatalogue(server.url, {
        breakerFailures: 2,
        breakerHalfOpenAfterMs: 100,
        retries: 5,
        concurrency: 1,
      }),
    );

    await world.tray.start();
    const opened = await world.tray.open(householdCase());
    await world.tray.wait(opened.id);
    unsubscribe('interop:tray:breaker:change', onChange);

    expect(states).toEqual(['open', 'half-open', 'closed']);
    const income = (await world.tray.collect(opened.id)).subjects
      .flatMap((s) => s.answers)
      .filter((a) => a.source === 'furs.income');
    expect(income.map((a) => a.status)).toEqual(['found', 'found', 'found', 'found']);
    // Two failures opened it; nothing was sent while open; then one probe and the rest.
    expect(server.count('furs.income')).toBe(6);
  });

  it('fails waiting enquiries with TRAY_SOURCE_UNAVAILABLE at the deadline of a case', async () => {
    server.behave('crp.household', 'ok');
    server.answer('crp.household', () => householdAnswer());
    server.behave('furs.income', 'error');
    server.hits.delete('furs.income');
    world = await openTrayWorld(
      backend,
      householdCatalogue(server.url, { breakerFailures: 2, breakerHalfOpenAfterMs: 60_000 }),
    );

    await world.tray.start();
    const opened = await world.tray.open(householdCase({ deadline: Date.now() + 1500 }));
    await world.tray.wait(opened.id);

    const income = (await world.tray.collect(opened.id)).subjects
      .flatMap((s) => s.answers)
      .filter((a) => a.source === 'furs.income');
    expect(income.map((a) => [a.status, a.reason?.code])).toEqual(
      Array(4).fill(['failed', 'TRAY_SOURCE_UNAVAILABLE']),
    );
    expect(world.tray.breakerState('furs.income')).toBe('open');
    // The four first attempts were in flight together; once open, nothing more was sent (at most
    // a retry that started between the first and the second failure).
    expect(server.count('furs.income')).toBeLessThanOrEqual(6);
    expect(Math.max(...server.hits.get('furs.income')!.values())).toBeLessThanOrEqual(2);
  });

  it('cancels a case: attempts in flight are aborted, open enquiries fail as cancelled', async () => {
    server.behave('crp.household', 'hang');
    world = await openTrayWorld(backend, householdCatalogue(server.url, { timeoutMs: 10_000 }));
    const started = new Promise<void>((resolve) => {
      const onStart = () => {
        unsubscribe('interop:tray:enquiry:start', onStart);
        resolve();
      };
      subscribe('interop:tray:enquiry:start', onStart);
    });

    await world.tray.start();
    const opened = await world.tray.open(householdCase());
    await started;
    const cancelled = await world.tray.cancel(opened.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await world.tray.wait(opened.id)).status).toBe('cancelled');

    const result = await world.tray.collect(opened.id);
    expect(
      result.subjects.flatMap((s) => s.answers).map((a) => [a.status, a.reason?.code]),
    ).toEqual([['failed', 'TRAY_CASE_CANCELLED']]);
    const controller = new AbortController();
    controller.abort();
    await expect(world.tray.wait(opened.id, { signal: controller.signal })).rejects.toMatchObject({
      code: 'TRAY_ABORTED',
    });
  });
});
