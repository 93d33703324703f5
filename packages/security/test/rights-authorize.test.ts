import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '@interop-blocks/core/testing';
import { ask, byAdmin, openRightsWorld, type RightsWorld } from './support/rights-kit.js';

const DAY = 86_400_000;

describe.each(testBackends())('authorize on %s', (backend) => {
  let w: RightsWorld;

  beforeEach(async () => {
    w = await openRightsWorld(backend);
    await w.admin.registerOrganisation(
      {
        id: 'centre',
        name: 'Centre for Social Work Test',
        organizationIdentifier: 'VATSI-10000001',
      },
      byAdmin,
    );
    await w.admin.registerApplication(
      { id: 'centre-app', organisationId: 'centre', name: 'Case app' },
      byAdmin,
    );
  });
  afterEach(() => w.close());

  it('allows an exact source for a covered purpose, with the right fields', async () => {
    const right = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit', 'rent-subsidy'],
        fields: ['income', 'year'],
      },
      byAdmin,
    );

    const decision = await w.rights.authorize(ask('centre', 'furs.income'));
    expect(decision).toEqual({
      allowed: true,
      reason: { code: 'RIGHTS_ALLOWED', message: expect.any(String) },
      fields: ['income', 'year'],
      rightIds: [right.id],
    });
    expect((await w.rights.authorize(ask('centre', 'furs.property'))).reason.code).toBe(
      'RIGHTS_NO_RIGHT',
    );
    expect(
      (await w.rights.authorize({ ...ask('centre', 'furs.income'), action: 'answer' })).reason.code,
    ).toBe('RIGHTS_NO_RIGHT');
  });

  it('matches source patterns by segments', async () => {
    await w.admin.grant(
      { principalId: 'centre', action: 'query', source: 'bank.*', purposes: ['child-benefit'] },
      byAdmin,
    );
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'kdd.*.holdings',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    const allowed = async (source: string) =>
      (await w.rights.authorize(ask('centre', source))).allowed;

    expect(await allowed('bank.nlb')).toBe(true);
    expect(await allowed('bank.nlb.balances')).toBe(true);
    expect(await allowed('bank')).toBe(false);
    expect(await allowed('banka.nlb')).toBe(false);
    expect(await allowed('kdd.central.holdings')).toBe(true);
    expect(await allowed('kdd.central.x.holdings')).toBe(false);
    expect(await allowed('kdd.central.accounts')).toBe(false);
  });

  it('refuses a purpose the rights do not cover', async () => {
    const right = await w.admin.grant(
      { principalId: 'centre', action: 'query', source: 'furs.income', purposes: ['rent-subsidy'] },
      byAdmin,
    );
    const decision = await w.rights.authorize(ask('centre', 'furs.income', 'child-benefit'));
    expect(decision).toMatchObject({
      allowed: false,
      reason: { code: 'RIGHTS_PURPOSE_NOT_COVERED' },
      fields: [],
      rightIds: [right.id],
    });
  });

  it('unites the fields of several matching rights; a right without field limits sees all', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'bank.*',
        purposes: ['child-benefit'],
        fields: ['balance'],
      },
      byAdmin,
    );
    await w.admin.grant(
      {
        principalId: 'centre-app',
        action: 'query',
        source: 'bank.nlb.balances',
        purposes: ['child-benefit'],
        fields: ['iban', 'balance'],
      },
      byAdmin,
    );
    const decision = await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'));
    expect(decision.allowed).toBe(true);
    expect(decision.fields).toEqual(['balance', 'iban']);
    expect(decision.rightIds).toHaveLength(2);

    // The organisation does not inherit its application's rights.
    expect((await w.rights.authorize(ask('centre', 'bank.nlb.balances'))).fields).toEqual([
      'balance',
    ]);

    await w.admin.grant(
      { principalId: 'centre', action: 'query', source: '*', purposes: ['child-benefit'] },
      byAdmin,
    );
    expect((await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'))).fields).toBe('*');
  });

  it('holds rights to their validity period', async () => {
    const now = w.clock.now();
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
        validFrom: new Date(now + DAY),
        validUntil: new Date(now + 3 * DAY).toISOString(),
      },
      byAdmin,
    );

    expect((await w.rights.authorize(ask('centre', 'furs.income'))).reason.code).toBe(
      'RIGHTS_RIGHT_NOT_YET_VALID',
    );
    w.clock.advance(DAY);
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).allowed).toBe(true);
    w.clock.advance(2 * DAY);
    expect((await w.rights.authorize(ask('centre', 'furs.income'))).reason.code).toBe(
      'RIGHTS_RIGHT_EXPIRED',
    );
    // An explicit time decides as of then, from the same cache.
    const past = { ...ask('centre', 'furs.income'), time: now + 2 * DAY };
    expect((await w.rights.authorize(past)).allowed).toBe(true);
  });

  it('suspends, resumes and revokes a right, keeping its history', async () => {
    const right = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    const code = async () => (await w.rights.authorize(ask('centre', 'furs.income'))).reason.code;

    expect(await code()).toBe('RIGHTS_ALLOWED');
    await w.admin.suspendRight(right.id, { ...byAdmin, reason: 'audit pending' });
    expect(await code()).toBe('RIGHTS_RIGHT_SUSPENDED');
    await w.admin.resumeRight(right.id, { ...byAdmin, reason: 'audit closed' });
    expect(await code()).toBe('RIGHTS_ALLOWED');
    await w.admin.revokeRight(right.id, {
      by: { principal: 'ministry' },
      reason: 'agreement ended',
    });
    expect(await code()).toBe('RIGHTS_RIGHT_REVOKED');

    await expect(w.admin.resumeRight(right.id, byAdmin)).rejects.toMatchObject({
      code: 'RIGHTS_TRANSITION_INVALID',
    });
    const history = await w.admin.history(right.id);
    expect(history.map((h) => [h.change, h.version, h.reason, h.state.status])).toEqual([
      ['right.grant', 1, 'test set-up', 'active'],
      ['right.suspend', 2, 'audit pending', 'suspended'],
      ['right.resume', 3, 'audit closed', 'active'],
      ['right.revoke', 4, 'agreement ended', 'revoked'],
    ]);
    expect(history[0]!.by).toEqual({ principal: 'ministry', official: 'admin-1' });
    expect(history[3]!.by).toEqual({ principal: 'ministry' });
    expect((await w.admin.getRight(right.id)).status).toBe('revoked');
  });

  it('prefers a live right over a revoked one and names why none applies', async () => {
    const old = await w.admin.grant(
      { principalId: 'centre', action: 'query', source: 'furs.*', purposes: ['child-benefit'] },
      byAdmin,
    );
    await w.admin.revokeRight(old.id, byAdmin);
    const suspended = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    await w.admin.suspendRight(suspended.id, byAdmin);
    const decision = await w.rights.authorize(ask('centre', 'furs.income'));
    expect(decision.reason.code).toBe('RIGHTS_RIGHT_SUSPENDED');
    expect(decision.rightIds.sort()).toEqual([old.id, suspended.id].sort());

    const fresh = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    expect(await w.rights.authorize(ask('centre', 'furs.income'))).toMatchObject({
      allowed: true,
      rightIds: [fresh.id],
    });
  });

  it('refuses unknown, suspended and revoked principals and organisations, each with its code', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    const code = async (p: string) => (await w.rights.authorize(ask(p, 'furs.income'))).reason.code;

    expect(await code('nobody')).toBe('RIGHTS_PRINCIPAL_UNKNOWN');
    expect(await code('centre-app')).toBe('RIGHTS_ALLOWED');
    await w.admin.suspendPrincipal('centre-app', byAdmin);
    expect(await code('centre-app')).toBe('RIGHTS_PRINCIPAL_SUSPENDED');
    await w.admin.resumePrincipal('centre-app', byAdmin);
    await w.admin.suspendPrincipal('centre', byAdmin);
    expect(await code('centre-app')).toBe('RIGHTS_ORGANISATION_SUSPENDED');
    expect(await code('centre')).toBe('RIGHTS_PRINCIPAL_SUSPENDED');
    await w.admin.revokePrincipal('centre', byAdmin);
    expect(await code('centre-app')).toBe('RIGHTS_ORGANISATION_REVOKED');
    await w.admin.revokePrincipal('centre-app', byAdmin);
    expect(await code('centre-app')).toBe('RIGHTS_PRINCIPAL_REVOKED');

    const history = await w.admin.history('centre');
    expect(history.map((h) => h.change)).toEqual([
      'principal.register',
      'principal.suspend',
      'principal.revoke',
    ]);
  });

  it('refuses a registered official who is suspended or revoked; others act for the organisation', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    await w.admin.registerUser(
      { id: 'centre-u1', organisationId: 'centre', name: 'Official One', officialId: 'official-1' },
      byAdmin,
    );
    const asOfficial = (official: string) => ({ ...ask('centre-app', 'furs.income'), official });

    expect((await w.rights.authorize(asOfficial('official-1'))).allowed).toBe(true);
    expect((await w.rights.authorize(asOfficial('someone-else'))).allowed).toBe(true);
    await w.admin.suspendPrincipal('centre-u1', byAdmin);
    expect((await w.rights.authorize(asOfficial('official-1'))).reason.code).toBe(
      'RIGHTS_OFFICIAL_SUSPENDED',
    );
    await w.admin.revokePrincipal('centre-u1', byAdmin);
    expect((await w.rights.authorize(asOfficial('official-1'))).reason.code).toBe(
      'RIGHTS_OFFICIAL_REVOKED',
    );
    // A new registration of the same official id replaces the revoked one.
    await w.admin.registerUser(
      {
        id: 'centre-u1b',
        organisationId: 'centre',
        name: 'Official One',
        officialId: 'official-1',
      },
      byAdmin,
    );
    expect((await w.rights.authorize(asOfficial('official-1'))).allowed).toBe(true);
  });

  it('gives the rights of roles assigned to the principal or its organisation', async () => {
    await w.admin.registerRole({ id: 'bank-readers', name: 'Bank readers' }, byAdmin);
    const right = await w.admin.grant(
      {
        principalId: 'bank-readers',
        action: 'query',
        source: 'bank.*',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    expect((await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'))).reason.code).toBe(
      'RIGHTS_NO_RIGHT',
    );

    const assignment = await w.admin.assignRole(
      { roleId: 'bank-readers', memberId: 'centre' },
      byAdmin,
    );
    expect(await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'))).toMatchObject({
      allowed: true,
      rightIds: [right.id],
    });
    await expect(
      w.admin.assignRole({ roleId: 'bank-readers', memberId: 'centre' }, byAdmin),
    ).rejects.toMatchObject({
      code: 'RIGHTS_DUPLICATE',
    });

    await w.admin.suspendPrincipal('bank-readers', byAdmin);
    expect((await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'))).allowed).toBe(false);
    await w.admin.resumePrincipal('bank-readers', byAdmin);
    await w.admin.revokeRoleAssignment(assignment.id, byAdmin);
    expect((await w.rights.authorize(ask('centre-app', 'bank.nlb.balances'))).reason.code).toBe(
      'RIGHTS_NO_RIGHT',
    );
    expect((await w.admin.listRoleAssignments({ memberId: 'centre' }))[0]).toMatchObject({
      status: 'revoked',
      version: 2,
    });
    // A role cannot act itself.
    expect((await w.rights.authorize(ask('bank-readers', 'bank.nlb.balances'))).reason.code).toBe(
      'RIGHTS_PRINCIPAL_UNKNOWN',
    );
  });

  it('refuses a request missing purpose, legal basis, case or official, each with its code', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      byAdmin,
    );
    const full = ask('centre', 'furs.income');
    const code = async (change: Record<string, unknown>) =>
      (await w.rights.authorize({ ...full, ...change } as typeof full)).reason.code;

    expect(await code({})).toBe('RIGHTS_ALLOWED');
    expect(await code({ purpose: undefined })).toBe('RIGHTS_PURPOSE_MISSING');
    expect(await code({ purpose: '  ' })).toBe('RIGHTS_PURPOSE_MISSING');
    expect(await code({ legalBasis: '' })).toBe('RIGHTS_LEGAL_BASIS_MISSING');
    expect(await code({ case: undefined })).toBe('RIGHTS_CASE_MISSING');
    expect(await code({ official: ' ' })).toBe('RIGHTS_OFFICIAL_MISSING');
    expect(await code({ principal: '' })).toBe('RIGHTS_REQUEST_INVALID');
    expect(await code({ action: 'delete' })).toBe('RIGHTS_REQUEST_INVALID');
    expect(await code({ source: 'Bank/NLB' })).toBe('RIGHTS_REQUEST_INVALID');
    expect(await code({ purpose: 'Child Benefit' })).toBe('RIGHTS_REQUEST_INVALID');
    expect(await code({ time: 'yesterday' })).toBe('RIGHTS_REQUEST_INVALID');
  });

  it('trails every decision with the five facts, the decision and its reason code', async () => {
    await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
        fields: ['income'],
      },
      byAdmin,
    );
    await w.rights.authorize(ask('centre-app', 'furs.income'));
    await w.rights.authorize(ask('centre-app', 'furs.income'));
    await w.rights.authorize({ ...ask('centre-app', 'furs.income'), legalBasis: '' });

    const records = await w.records('centre-app');
    expect(records.map((r) => [r.action, r.decision, r.reasonCode, r.details?.cached])).toEqual([
      ['authorize', 'allowed', 'RIGHTS_ALLOWED', false],
      ['authorize', 'allowed', 'RIGHTS_ALLOWED', true],
      ['authorize', 'refused', 'RIGHTS_LEGAL_BASIS_MISSING', false],
    ]);
    expect(records[0]).toMatchObject({
      principal: 'centre-app',
      official: 'official-1',
      source: 'furs.income',
      purpose: 'child-benefit',
      legalBasis: 'ZUPJS art. 5',
      case: 'case-1',
      details: { requestedAction: 'query', fields: 'income' },
    });
    expect(records[2]!.legalBasis).toBeNull();
    expect((await w.trail.verify()).ok).toBe(true);
  });

  it('trails every change with who made it and why', async () => {
    const right = await w.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['child-benefit'],
      },
      { by: { principal: 'ministry', official: 'admin-7' }, reason: 'agreement 2026/4' },
    );
    const records = await w.records('ministry');
    const last = records.at(-1)!;
    expect(last).toMatchObject({
      action: 'administer',
      principal: 'ministry',
      official: 'admin-7',
      source: 'security.rights',
      details: {
        change: 'right.grant',
        entityKind: 'right',
        entityId: right.id,
        version: 1,
        reason: 'agreement 2026/4',
      },
    });
    // Organisation and application registrations of the set-up are there too.
    expect(records.map((r) => r.details?.change)).toEqual([
      'principal.register',
      'principal.register',
      'right.grant',
    ]);
  });
});
