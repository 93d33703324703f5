import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '@interop-blocks/core/testing';
import { byAdmin, openRightsWorld, type RightsWorld } from './support/rights-kit.js';

describe.each(testBackends())('rights administration API on %s', (backend) => {
  let w: RightsWorld;

  beforeEach(async () => {
    w = await openRightsWorld(backend);
    await w.admin.registerOrganisation(
      { id: 'centre', name: 'Centre', organizationIdentifier: 'VATSI-10000001' },
      byAdmin,
    );
  });
  afterEach(() => w.close());

  it('registers each kind of principal with the state it reports', async () => {
    const app = await w.admin.registerApplication(
      {
        organisationId: 'centre',
        name: 'Case app',
        certificates: [{ issuer: 'CN=Test CA,O=Test', serialNumber: '0A1B' }],
      },
      byAdmin,
    );
    expect(app).toMatchObject({
      kind: 'application',
      organisationId: 'centre',
      certificates: [{ issuer: 'CN=Test CA,O=Test', serialNumber: 'a1b' }],
      status: 'active',
      version: 1,
    });
    expect(app.id).toMatch(/^[0-9a-f-]{36}$/);
    const user = await w.admin.registerUser(
      { organisationId: 'centre', name: 'Official', officialId: 'o-1' },
      byAdmin,
    );
    const role = await w.admin.registerRole({ id: 'auditors', name: 'Auditors' }, byAdmin);
    expect(user.officialId).toBe('o-1');
    expect(role.organisationId).toBeNull();

    expect((await w.admin.listPrincipals()).map((p) => p.kind).sort()).toEqual([
      'application',
      'organisation',
      'role',
      'user',
    ]);
    expect((await w.admin.listPrincipals({ organisationId: 'centre' })).length).toBe(2);
    expect(await w.admin.getPrincipal('centre')).toMatchObject({
      organizationIdentifier: 'VATSI-10000001',
    });
  });

  it('refuses bad input with RIGHTS_INPUT_INVALID and a bad pattern with RIGHTS_PATTERN_INVALID', async () => {
    const refused = (p: Promise<unknown>, code: string, field?: string) =>
      expect(p).rejects.toMatchObject({ code, ...(field ? { context: { field } } : {}) });

    await refused(
      w.admin.registerOrganisation({ name: '' }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'name',
    );
    await refused(
      w.admin.registerOrganisation({ name: 'X', organizationIdentifier: 'SI12345678' }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'organizationIdentifier',
    );
    await refused(
      w.admin.registerOrganisation({ id: 'has space', name: 'X' }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'id',
    );
    await refused(
      w.admin.registerApplication({ name: 'X' } as never, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'organisationId',
    );
    await refused(
      w.admin.registerOrganisation({ name: 'X' }, { by: { principal: 'ministry' }, reason: ' ' }),
      'RIGHTS_INPUT_INVALID',
      'reason',
    );
    await refused(
      w.admin.registerOrganisation({ name: 'X' }, { reason: 'r' } as never),
      'RIGHTS_INPUT_INVALID',
      'by.principal',
    );
    const grant = {
      principalId: 'centre',
      action: 'query' as const,
      source: 'furs.income',
      purposes: ['child-benefit'],
    };
    await refused(
      w.admin.grant({ ...grant, source: 'furs.inc*' }, byAdmin),
      'RIGHTS_PATTERN_INVALID',
    );
    await refused(
      w.admin.grant({ ...grant, purposes: [] }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'purposes',
    );
    await refused(
      w.admin.grant({ ...grant, purposes: ['Child Benefit'] }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'purposes',
    );
    await refused(
      w.admin.grant({ ...grant, fields: ['a b'] }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'fields',
    );
    await refused(
      w.admin.grant({ ...grant, action: 'delete' as never }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'action',
    );
    await refused(
      w.admin.grant({ ...grant, validFrom: 'soon' }, byAdmin),
      'RIGHTS_INPUT_INVALID',
      'validFrom',
    );
    await refused(
      w.admin.grant(
        { ...grant, validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' },
        byAdmin,
      ),
      'RIGHTS_INPUT_INVALID',
      'validUntil',
    );
    // Nothing of the above was written.
    expect((await w.admin.changes()).length).toBe(1);
  });

  it('refuses unknown ids, duplicates and changes that do not apply, writing nothing', async () => {
    const refused = (p: Promise<unknown>, code: string) =>
      expect(p).rejects.toMatchObject({ code });
    await w.admin.registerUser({ organisationId: 'centre', name: 'A', officialId: 'o-1' }, byAdmin);

    await refused(
      w.admin.registerOrganisation({ id: 'centre', name: 'Again' }, byAdmin),
      'RIGHTS_DUPLICATE',
    );
    await refused(
      w.admin.registerOrganisation(
        { name: 'Twin', organizationIdentifier: 'VATSI-10000001' },
        byAdmin,
      ),
      'RIGHTS_DUPLICATE',
    );
    await refused(
      w.admin.registerUser({ organisationId: 'centre', name: 'B', officialId: 'o-1' }, byAdmin),
      'RIGHTS_DUPLICATE',
    );
    await refused(
      w.admin.registerApplication({ organisationId: 'nowhere', name: 'X' }, byAdmin),
      'RIGHTS_NOT_FOUND',
    );
    await refused(
      w.admin.grant(
        { principalId: 'nobody', action: 'query', source: 'a', purposes: ['p'] },
        byAdmin,
      ),
      'RIGHTS_NOT_FOUND',
    );
    await refused(w.admin.suspendRight('no-such-right', byAdmin), 'RIGHTS_NOT_FOUND');
    await refused(w.admin.resumePrincipal('centre', byAdmin), 'RIGHTS_TRANSITION_INVALID');
    await refused(
      w.admin.assignRole({ roleId: 'centre', memberId: 'centre' }, byAdmin),
      'RIGHTS_NOT_FOUND',
    );
    await refused(w.admin.getPrincipal('nobody'), 'RIGHTS_NOT_FOUND');

    await w.admin.registerRole({ id: 'other-role', organisationId: 'centre', name: 'R' }, byAdmin);
    await w.admin.registerOrganisation({ id: 'other', name: 'Other' }, byAdmin);
    await refused(
      w.admin.assignRole({ roleId: 'other-role', memberId: 'other' }, byAdmin),
      'RIGHTS_INPUT_INVALID',
    );

    await w.admin.revokePrincipal('centre', byAdmin);
    await refused(
      w.admin.registerApplication({ organisationId: 'centre', name: 'Late' }, byAdmin),
      'RIGHTS_TRANSITION_INVALID',
    );
    await refused(w.admin.revokePrincipal('centre', byAdmin), 'RIGHTS_TRANSITION_INVALID');
    // The identifier of a revoked organisation may be registered again.
    await w.admin.registerOrganisation(
      { id: 'centre-new', name: 'Centre', organizationIdentifier: 'VATSI-10000001' },
      byAdmin,
    );

    const changes = await w.admin.changes();
    expect(changes.map((c) => c.change)).toEqual([
      'principal.register',
      'principal.register',
      'principal.register',
      'principal.register',
      'principal.revoke',
      'principal.register',
    ]);
    expect(changes.map((c) => c.generation)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await w.admin.changes({ after: 4, limit: 1 })).map((c) => c.generation)).toEqual([5]);
  });

  it('adds and removes certificate registrations, one principal per certificate', async () => {
    const cert = { issuer: 'CN=Test CA', serialNumber: '1ff' };
    await w.admin.registerApplication(
      { id: 'app', organisationId: 'centre', name: 'App' },
      byAdmin,
    );
    expect((await w.admin.addCertificate('app', cert, byAdmin)).certificates).toEqual([cert]);
    await expect(w.admin.addCertificate('centre', cert, byAdmin)).rejects.toMatchObject({
      code: 'RIGHTS_DUPLICATE',
    });
    const removed = await w.admin.removeCertificate(
      'app',
      { ...cert, serialNumber: '00:01:FF' },
      byAdmin,
    );
    expect(removed).toMatchObject({ certificates: [], version: 3 });
    await expect(w.admin.removeCertificate('app', cert, byAdmin)).rejects.toMatchObject({
      code: 'RIGHTS_TRANSITION_INVALID',
    });
    expect((await w.admin.addCertificate('centre', cert, byAdmin)).certificates).toEqual([cert]);
    expect((await w.admin.history('app')).map((h) => h.change)).toEqual([
      'principal.register',
      'principal.certificate-add',
      'principal.certificate-remove',
    ]);
  });
});
