// Test world of the waiting rooms: a store per test, a real trail, two bank rooms and a group.

import { randomBytes } from 'node:crypto';
import { ManualClock, newId, type Backend, type QueryEnvelope } from '@interop-blocks/core';
import { openTestStore, type TestStore } from '@interop-blocks/core/testing';
import { createDevPki, createKeySigner, openTrail, type Trail } from '@interop-blocks/security';
import { openWaitingRooms, type WaitingRooms, type WaitingRoomsOptions } from '../../src/index.js';

export const ROOM_A = 'bank.a.balances';
export const ROOM_B = 'bank.b.balances';
export const START = Date.parse('2026-12-01T08:00:00Z');
export const HOUR = 3_600_000;

/** The answer schema of both bank rooms. */
export const balanceSchema = {
  type: 'object',
  properties: { balance: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
  required: ['balance', 'currency'],
  additionalProperties: false,
};

export const roomDeclarations: WaitingRoomsOptions['rooms'] = [
  { id: ROOM_A, owner: 'bank-a', answerSchema: balanceSchema, defaultDeadlineMs: 10 * HOUR },
  { id: ROOM_B, owner: 'bank-b', answerSchema: balanceSchema, defaultDeadlineMs: 10 * HOUR },
];

let signerPromise: Promise<ReturnType<typeof createKeySigner>> | undefined;

/** One seal signer per test file: generating a PKI per test would only cost time. */
export function trailSigner(): Promise<ReturnType<typeof createKeySigner>> {
  signerPromise ??= createDevPki({ organisations: [{ name: 'Hub Test', id: 'hub' }] }).then(
    (pki) => {
      const hub = pki.organisation('hub').client;
      return createKeySigner({ privateKey: hub.key, certificateChainPem: hub.chainPem });
    },
  );
  return signerPromise;
}

export interface RoomsWorld {
  t: TestStore;
  clock: ManualClock;
  trail: Trail;
  rooms: WaitingRooms;
  close(): Promise<void>;
}

/** Opens a store, a trail and the rooms on `backend`. */
export async function createRoomsWorld(
  backend: Backend,
  overrides: Partial<WaitingRoomsOptions> = {},
): Promise<RoomsWorld> {
  const clock = new ManualClock(START);
  const t = await openTestStore(backend);
  const trail = await openTrail({
    store: t.store,
    name: 'async-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: await trailSigner(),
    clock,
    batch: { maxDelayMs: 1 },
  });
  const rooms = await openWaitingRooms({
    store: t.store,
    trail,
    clock,
    rooms: roomDeclarations,
    groups: { banks: [ROOM_A, ROOM_B] },
    ...overrides,
  });
  return {
    t,
    clock,
    trail,
    rooms,
    close: async () => {
      await rooms.close();
      await trail.close();
      await t.cleanup();
    },
  };
}

/** A valid query to `source` about the n-th test person. */
export function query(source: string, n = 1, clock?: ManualClock): QueryEnvelope {
  return {
    requestId: newId(clock),
    issuedAt: new Date(clock?.now() ?? START).toISOString(),
    source,
    subject: { scheme: 'emso', id: `subject-${n}` },
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: `CSD-2026-${String(n).padStart(4, '0')}`,
    organisation: 'centre',
    official: 'official-7',
  };
}
