import { testBackends } from '@interop-blocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRightsWorld, type RightsWorld } from './support/rights-kit.js';

const by = { by: { principal: 'ministry', official: 'admin-1' }, reason: 'test' };

describe.each(testBackends())('usable rights on %s', (backend) => {
  let world: RightsWorld;

  beforeEach(async () => {
    world = await openRightsWorld(backend);
    await world.admin.registerOrganisation({ id: 'centre', name: 'Centre' }, by);
    await world.admin.registerRole({ id: 'income-readers', name: 'Income readers' }, by);
    await world.admin.assignRole({ roleId: 'income-readers', memberId: 'centre' }, by);
  });
  afterEach(async () => {
    await world.close();
  });

  it('lists the rights of the principal and its roles that are valid now, and nothing else', async () => {
    const own = await world.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.*',
        purposes: ['child-benefit'],
        fields: ['amount'],
      },
      by,
    );
    const viaRole = await world.admin.grant(
      {
        principalId: 'income-readers',
        action: 'query',
        source: 'zpiz.pensions',
        purposes: ['child-benefit'],
      },
      by,
    );
    const suspended = await world.admin.grant(
      { principalId: 'centre', action: 'query', source: 'bank.*', purposes: ['child-benefit'] },
      by,
    );
    await world.admin.suspendRight(suspended.id, by);
    await world.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'gurs.*',
        purposes: ['child-benefit'],
        validFrom: world.clock.now() + 60_000,
      },
      by,
    );
    await world.admin.grant(
      { principalId: 'centre', action: 'answer', source: 'furs.*', purposes: ['child-benefit'] },
      by,
    );

    const usable = await world.rights.usableRights('centre', 'query');
    expect(usable.map((r) => r.rightId).sort()).toEqual([own.id, viaRole.id].sort());
    expect(usable.find((r) => r.rightId === own.id)).toMatchObject({
      source: 'furs.*',
      purposes: ['child-benefit'],
      fields: ['amount'],
    });
    expect(usable.find((r) => r.rightId === viaRole.id)?.fields).toBe('*');
  });

  it('lists nothing for a suspended organisation or an unknown principal, and trails nothing', async () => {
    await world.admin.grant(
      { principalId: 'centre', action: 'query', source: 'furs.*', purposes: ['child-benefit'] },
      by,
    );
    await world.admin.suspendPrincipal('centre', by);
    expect(await world.rights.usableRights('centre', 'query')).toEqual([]);
    expect(await world.rights.usableRights('nobody', 'query')).toEqual([]);
    const authorizations = (await world.records('centre')).filter((r) => r.action === 'authorize');
    expect(authorizations).toEqual([]);
  });
});
