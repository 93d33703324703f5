// Test kit of the rights tests: a rights service over a real store and a real trail, per backend.

import { ManualClock, openStore, type Backend, type Store } from '@interop-blocks/core';
import { openTestStore } from '@interop-blocks/core/testing';
import {
  createRightsAdmin,
  openRights,
  openTrail,
  type AuthorizeRequest,
  type ChangeContext,
  type Rights,
  type RightsAdmin,
  type Trail,
  type TrailEntry,
  type TrailSigner,
  type TrailSubjectKeys,
} from '../../src/index.js';
import { testKeys, testSigner } from '../fixtures/trail/trail-kit.js';

/** One rights service with its admin, trail and clock. */
export interface RightsWorld {
  backend: Backend;
  store: Store;
  url: string;
  clock: ManualClock;
  trail: Trail;
  rights: Rights;
  admin: RightsAdmin;
  /** Every record of the trail, oldest first. */
  records(principal: string): Promise<TrailEntry[]>;
  /** A second service on the same database (another "process"), with its own store and trail. */
  peer(): Promise<{ rights: Rights; admin: RightsAdmin; close(): Promise<void> }>;
  close(): Promise<void>;
}

let signer: Promise<TrailSigner> | undefined;

/** Options of {@link openRightsWorld}. */
export interface WorldOptions {
  changeCheckIntervalMs?: number;
  cache?: { maxEntries?: number; ttlMs?: number };
}

/** Opens a fresh store on `backend`, a trail and a rights service on it. */
export async function openRightsWorld(
  backend: Backend,
  options: WorldOptions = {},
): Promise<RightsWorld> {
  signer ??= testSigner().then((s) => s.signer);
  const keys: TrailSubjectKeys = testKeys();
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const test = await openTestStore(backend);
  const open = async (store: Store) => {
    const trail = await openTrail({
      store,
      name: 'rights',
      subjectKeys: keys,
      signer: await signer!,
      clock,
    });
    const rights = await openRights({ store, trail, clock, ...options });
    return { trail, rights, admin: createRightsAdmin(rights) };
  };
  const main = await open(test.store);
  const peers: (() => Promise<void>)[] = [];

  return {
    backend,
    store: test.store,
    url: test.url,
    clock,
    ...main,
    records: async (principal) => {
      await main.trail.flush();
      const page = await main.trail.query({ principal, limit: 1000 });
      return page.entries;
    },
    peer: async () => {
      const store = await openStore(test.url, { poolSize: 2 });
      const other = await open(store);
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await other.trail.close();
        await store.close();
      };
      peers.push(close);
      return { rights: other.rights, admin: other.admin, close };
    },
    close: async () => {
      for (const close of peers.splice(0)) await close();
      await main.trail.close();
      await test.cleanup();
    },
  };
}

/** The change context of the test administrator. */
export const byAdmin: ChangeContext = {
  by: { principal: 'ministry', official: 'admin-1' },
  reason: 'test set-up',
};

/** A query request of `principal` on `source` for `purpose`, with all five facts. */
export function ask(
  principal: string,
  source: string,
  purpose = 'child-benefit',
): AuthorizeRequest {
  return {
    principal,
    action: 'query',
    source,
    purpose,
    legalBasis: 'ZUPJS art. 5',
    case: 'case-1',
    official: 'official-1',
  };
}
