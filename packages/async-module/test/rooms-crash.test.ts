// Faults: rooms processes killed with SIGKILL at random moments, and a source worker killed while
// holding a lease; every request still ends with exactly one answer at the requester.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ManualClock, type QueryEnvelope } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { createDevPki, openTrail, createKeySigner, type Trail } from '@interop-blocks/security';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWaitingRooms } from '../src/index.js';
import type { RoomsDb } from '../src/rooms/schema.js';
import { ROOM_A, query, roomDeclarations } from './support/rooms-world.js';

// Children are killed and restarted repeatedly; on a loaded 2-core machine that takes time.
const CRASH_TEST_TIMEOUT_MS = 120_000;

const child = fileURLToPath(new URL('./fixtures/rooms-child.mjs', import.meta.url));
const VISIBILITY_MS = 1_500;

function balanceOf(requestId: string): number {
  return parseInt(createHash('sha256').update(requestId).digest('hex').slice(0, 8), 16) % 100_000;
}

interface Run {
  process: ChildProcess;
  lines: string[];
  /** Resolves with the exit code, or the signal's name. */
  exit: Promise<number | string>;
  /** Resolves when a line matching `test` is printed (the `n`-th one). */
  waitFor(test: (line: string) => boolean, n?: number): Promise<string | undefined>;
}

function start(configPath: string, role: string): Run {
  const proc = spawn(process.execPath, [child, configPath, role], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const l of [...listeners]) l(line);
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(stderr.slice(-2000));
      resolve(signal ?? code ?? -1);
    }),
  );
  const waitFor = (test: (line: string) => boolean, n = 1) =>
    new Promise<string | undefined>((resolve) => {
      let seen = 0;
      const l = (line: string) => {
        if (test(line) && ++seen >= n) {
          listeners.delete(l);
          resolve(line);
        }
      };
      listeners.add(l);
      void exit.then(() => resolve(undefined));
    });
  return { process: proc, lines, exit, waitFor };
}

describe.each(testBackends())('waiting rooms under faults on %s', (backend) => {
  let t: TestStore;
  let dir: string;
  let configPath: string;
  let queries: QueryEnvelope[];
  let config: Record<string, unknown>;

  beforeEach(async () => {
    t = await openTestStore(backend);
    dir = await mkdtemp(join(tmpdir(), 'rooms-crash-'));
    const pki = await createDevPki({ organisations: [{ name: 'Hub Test', id: 'hub' }] });
    const hub = pki.organisation('hub').client;
    queries = Array.from({ length: 300 }, (_, i) => query(ROOM_A, i + 1));
    await writeFile(join(dir, 'queries.json'), JSON.stringify(queries));
    config = {
      url: t.url,
      queriesPath: join(dir, 'queries.json'),
      hmacKey: randomBytes(32).toString('hex'),
      masterKey: randomBytes(32).toString('hex'),
      signerKey: hub.keyPem,
      signerChain: hub.chainPem,
      rooms: roomDeclarations,
      visibilityMs: VISIBILITY_MS,
    };
    configPath = join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify(config));
    const db = t.store.db();
    await sql`create table crash_received (request_id text primary key, answer text not null)`.execute(
      db,
    );
    await sql`create table crash_conflicts (request_id text not null)`.execute(db);
    await sql`create table crash_stats (redelivered integer not null)`.execute(db);
    await sql`insert into crash_stats (redelivered) values (0)`.execute(db);
  });
  afterEach(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function openParentRooms(
    clock: ManualClock,
  ): Promise<{ rooms: Awaited<ReturnType<typeof openWaitingRooms>>; trail: Trail }> {
    const trail = await openTrail({
      store: t.store,
      name: 'async-module',
      subjectKeys: {
        hmacKeys: [{ id: 'h1', key: Buffer.from(String(config.hmacKey), 'hex') }],
        masterKeys: [{ id: 'm1', key: Buffer.from(String(config.masterKey), 'hex') }],
      },
      signer: createKeySigner({
        privateKey: String(config.signerKey),
        certificateChainPem: String(config.signerChain),
      }),
      clock,
    });
    const rooms = await openWaitingRooms({ store: t.store, trail, clock, rooms: roomDeclarations });
    return { rooms, trail };
  }

  it(
    'loses and duplicates nothing when the rooms processes are killed at random moments',
    async () => {
      const slots = backend === 'postgres' ? 3 : 1;
      const killsPerSlot = backend === 'postgres' ? 3 : 5;
      let kills = 0;

      const slot = async () => {
        for (let k = 0; k < killsPerSlot; k++) {
          const run = start(configPath, 'cycle');
          const ticks = 2 + Math.floor(Math.random() * 12);
          const reached = await run.waitFor((l) => l.startsWith('tick'), ticks);
          if (reached !== undefined) {
            run.process.kill('SIGKILL');
            expect(await run.exit).toBe('SIGKILL');
            kills += 1;
          } else {
            expect(await run.exit).toBe(0);
            return;
          }
        }
        const last = start(configPath, 'cycle');
        expect(await last.exit).toBe(0);
      };
      await Promise.all(Array.from({ length: slots }, slot));

      const db = t.store.db<RoomsDb>();
      const received = await sql<{
        request_id: string;
        answer: string;
      }>`select request_id, answer from crash_received`.execute(db);
      expect(received.rows).toHaveLength(queries.length);
      for (const r of received.rows) {
        expect(JSON.parse(r.answer)).toEqual({
          status: 'found',
          data: { balance: balanceOf(r.request_id), currency: 'EUR' },
        });
      }
      const conflicts = await sql`select request_id from crash_conflicts`.execute(db);
      expect(conflicts.rows).toEqual([]);

      const rows = await db.selectFrom('async_requests').selectAll().execute();
      expect(rows).toHaveLength(queries.length);
      expect(
        rows.every(
          (r) => r.status === 'answered' && r.acknowledged_at !== null && r.query === null,
        ),
      ).toBe(true);
      expect(new Set(rows.map((r) => r.delivery_seq)).size).toBe(queries.length);
      expect(kills).toBeGreaterThan(0);
    },
    CRASH_TEST_TIMEOUT_MS,
  );

  it(
    'returns the requests of a worker killed while holding a lease, and they are answered once',
    async () => {
      const clock = new ManualClock(Date.now());
      const { rooms, trail } = await openParentRooms(clock);
      try {
        const mine = queries.slice(0, 50);
        await rooms.submit(mine.map((q) => ({ query: q, requester: 'centre' })));

        const holder = start(configPath, 'hold');
        expect(await holder.waitFor((l) => l.startsWith('held'))).toBe('held 50');
        holder.process.kill('SIGKILL');
        expect(await holder.exit).toBe('SIGKILL');

        expect(
          (await rooms.lease(ROOM_A, 'bank-a', { max: 100, visibilityMs: 60_000 })).requests,
        ).toEqual([]);
        clock.set(Date.now() + VISIBILITY_MS + 1);
        const lease = await rooms.lease(ROOM_A, 'bank-a', { max: 100, visibilityMs: 60_000 });
        expect(lease.requests).toHaveLength(50);
        expect(lease.requests.every((r) => r.attempts === 2)).toBe(true);

        const answers = lease.requests.map((r) => ({
          requestId: r.requestId,
          status: 'not_found' as const,
        }));
        const outcomes = await rooms.answer(ROOM_A, 'bank-a', [...answers, ...answers]);
        expect(outcomes.filter((o) => o.outcome === 'accepted')).toHaveLength(50);
        expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(50);
        const { answers: delivered } = await rooms.pull('centre', { limit: 1000 });
        expect(delivered.map((a) => a.answer.requestId).sort()).toEqual(
          mine.map((q) => q.requestId).sort(),
        );
      } finally {
        await trail.close();
      }
    },
    CRASH_TEST_TIMEOUT_MS,
  );

  it.runIf(backend === 'postgres')(
    'never leases one request to two processes',
    async () => {
      const clock = new ManualClock(Date.now());
      const { rooms, trail } = await openParentRooms(clock);
      try {
        await rooms.submit(queries.map((q) => ({ query: q, requester: 'centre' })));
      } finally {
        await trail.close();
      }
      const runs = [
        start(configPath, 'lease'),
        start(configPath, 'lease'),
        start(configPath, 'lease'),
      ];
      const codes = await Promise.all(runs.map((r) => r.exit));
      expect(codes).toEqual([0, 0, 0]);
      const taken = runs.flatMap((r) => JSON.parse(r.lines.at(-1) ?? '[]') as string[]);
      expect(taken).toHaveLength(queries.length);
      expect(new Set(taken).size).toBe(queries.length);
      expect(runs.every((r) => (JSON.parse(r.lines.at(-1) ?? '[]') as string[]).length > 0)).toBe(
        true,
      );
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});
