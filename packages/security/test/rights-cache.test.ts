import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '@interop-blocks/core/testing';
import { channel } from 'node:diagnostics_channel';
import { ask, byAdmin, openRightsWorld, type RightsWorld } from './support/rights-kit.js';

const INTERVAL = 5_000;

describe.each(testBackends())('decision cache on %s', (backend) => {
  let w: RightsWorld;
  const seen: { cached: boolean; code: string }[] = [];
  const listener = (message: unknown) => seen.push(message as { cached: boolean; code: string });

  beforeEach(async () => {
    w = await openRightsWorld(backend, {
      changeCheckIntervalMs: INTERVAL,
      cache: { maxEntries: 2, ttlMs: 60_000 },
    });
    await w.admin.registerOrganisation({ id: 'centre', name: 'Centre' }, byAdmin);
    seen.length = 0;
    channel('interop:security:rights:decision').subscribe(listener);
  });
  afterEach(async () => {
    channel('interop:security:rights:decision').unsubscribe(listener);
    await w.close();
  });

  it('serves repeated decisions from the cache and drops them at once after a local change', async () => {
    const right = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    await w.rights.authorize(ask('centre', 'furs.income'));
    await w.rights.authorize(ask('centre', 'furs.income'));
    expect(seen.map((s) => s.cached)).toEqual([false, true]);

    await w.admin.suspendRight(right.id, byAdmin);
    const after = await w.rights.authorize(ask('centre', 'furs.income'));
    expect(after.reason.code).toBe('RIGHTS_RIGHT_SUSPENDED');
    expect(seen.at(-1)!.cached).toBe(false);

    await w.admin.suspendPrincipal('centre', byAdmin);
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).reason.code).toBe(
      'RIGHTS_PRINCIPAL_SUSPENDED',
    );
  });

  it('sees a change made by another process within the documented bound', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    const other = await w.peer();
    expect((await other.rights.authorize(ask('centre', 'furs.income'))).allowed).toBe(true);

    // This process revokes the organisation; the other one still holds its cached decision.
    await w.admin.revokePrincipal('centre', byAdmin);
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).allowed).toBe(false);
    w.clock.advance(INTERVAL - 1);
    expect((await other.rights.authorize(ask('centre', 'furs.income'))).allowed).toBe(true);

    // Once the interval has passed, the other process reads the change counter and refuses.
    w.clock.advance(1);
    const decision = await other.rights.authorize(ask('centre', 'furs.income'));
    expect(decision.reason.code).toBe('RIGHTS_PRINCIPAL_REVOKED');

    // And the other way round, through the other process's admin.
    await other.admin.registerOrganisation({ id: 'centre-2', name: 'Centre 2' }, byAdmin);
    await w.rights.authorize(ask('centre-2', 'furs.income'));
    await other.admin.grant(
      { principalId: 'centre-2', action: 'query', source: 'furs.*', purposes: ['child-benefit'] },
      byAdmin,
    );
    await w.rights.refresh();
    expect((await w.rights.authorize(ask('centre-2', 'furs.income'))).allowed).toBe(true);
  });

  it('keeps at most maxEntries decisions and forgets them after the time to live', async () => {
    await w.admin.grant(
      { principalId: 'centre', action: 'query', source: '*', purposes: ['child-benefit'] },
      byAdmin,
    );
    for (const source of ['a.one', 'a.two', 'a.one', 'a.three', 'a.two']) {
      await w.rights.authorize(ask('centre', source));
    }
    // a.one cached, a.two cached, a.one hit, a.three evicts a.two (least recently used), a.two miss.
    expect(seen.map((s) => s.cached)).toEqual([false, false, true, false, false]);

    w.clock.advance(60_000);
    await w.rights.authorize(ask('centre', 'a.two'));
    expect(seen.at(-1)!.cached).toBe(false);
  });

  it('does not use a cached decision beyond the validity edge of a right', async () => {
    const now = w.clock.now();
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
        validUntil: now + 1000,
      },
      byAdmin,
    );
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).allowed).toBe(true);
    w.clock.advance(1000);
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).reason.code).toBe(
      'RIGHTS_RIGHT_EXPIRED',
    );
  });
});
