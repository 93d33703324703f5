import { randomBytes } from 'node:crypto';
import { openStore } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../src/connectors/connector.js';
import { createRestConnector } from '../src/connectors/rest-connector.js';
import { SourcePools } from '../src/connectors/source-pools.js';
import { startFaultServer, type FaultServer } from './support/fault-server.js';
import {
  emso,
  householdCase,
  householdCatalogue,
  openTrayWorld,
  type TrayWorld,
} from './support/tray-world.js';

/** The real REST connector, counting the enquiries it sends. */
function counted(counter: { n: number }): Connector {
  const rest = createRestConnector({ pools: new SourcePools() });
  return {
    kind: 'rest',
    send: (batch, context) => {
      counter.n += batch.length;
      return rest.send(batch, context);
    },
    close: () => rest.close?.() ?? Promise.resolve(),
  };
}

describe.each(testBackends())('two Trays on one %s store', (backend) => {
  let server: FaultServer;
  let t: TestStore;
  const worlds: TrayWorld[] = [];

  beforeEach(async () => {
    server = await startFaultServer();
    t = await openTestStore(backend);
  });
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.close().catch(() => undefined);
    await server.close();
  });

  it('split the enquiries of a case by leases: each sent once, each answered once', async () => {
    const members = Array.from({ length: 15 }, (_, i) => ({
      scheme: 'emso',
      id: emso('0101980', i + 10),
      relation: 'other',
    }));
    server.answer('crp.household', () => ({ members }));
    server.answer('furs.income', () => ({ items: [{ amount: 1 }] }));
    server.answer('bank.a.balances', () => ({ balance: 2 }));
    server.delay('furs.income', 20);
    server.delay('bank.a.balances', 20);
    const catalogue = householdCatalogue(server.url, { concurrency: 2 });
    const a = { n: 0 };
    const b = { n: 0 };
    const second = await openStore(t.url, { poolSize: 4 });
    const keys = { hmacKey: randomBytes(32), masterKey: randomBytes(32) };
    const worldA = await openTrayWorld(backend, catalogue, {
      store: t,
      connectors: [counted(a)],
      tray: { workerId: 'tray-a' },
      keys,
    });
    worlds.push(worldA);
    const worldB = await openTrayWorld(backend, catalogue, {
      store: { store: second, url: t.url, cleanup: () => second.close() },
      connectors: [counted(b)],
      tray: { workerId: 'tray-b' },
      keys,
    });
    worlds.unshift(worldB);

    const opened = await worldA.tray.open(
      householdCase({ applicant: { scheme: 'emso', id: members[0]!.id } }),
    );
    await Promise.all([worldA.tray.start(), worldB.tray.start()]);
    await worldB.tray.wait(opened.id);

    const answers = (await worldA.tray.collect(opened.id)).subjects.flatMap((s) => s.answers);
    expect(answers).toHaveLength(31);
    expect(answers.every((x) => x.status === 'found' && x.attempts === 1)).toBe(true);
    expect(a.n + b.n).toBe(31);
    expect(a.n).toBeGreaterThan(0);
    expect(b.n).toBeGreaterThan(0);
    for (const perId of server.hits.values()) {
      expect([...perId.values()].every((n) => n === 1)).toBe(true);
    }
  });
});
