import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '@interop-blocks/core/testing';
import {
  createDevPki,
  createStorePrincipalDirectory,
  type DevPki,
  type StorePrincipalDirectory,
} from '../src/index.js';
import { byAdmin, openRightsWorld, type RightsWorld } from './support/rights-kit.js';

let pki: DevPki;

beforeAll(async () => {
  pki = await createDevPki({
    organisations: [
      { name: 'Centre Test', id: 'centre' },
      { name: 'Registry Test', id: 'registry' },
    ],
    extras: [{ name: 'centre-app', organisation: 'centre', extendedKeyUsage: ['clientAuth'] }],
  });
});

describe.each(testBackends())('store principal directory on %s', (backend) => {
  let w: RightsWorld;
  let directory: StorePrincipalDirectory;

  beforeEach(async () => {
    w = await openRightsWorld(backend);
    directory = createStorePrincipalDirectory(w.rights);
    await w.admin.registerOrganisation(
      {
        id: 'centre',
        name: 'Centre',
        organizationIdentifier: pki.organisation('centre').organizationIdentifier,
      },
      byAdmin,
    );
  });
  afterEach(() => w.close());

  it('maps a certificate by organisation identifier, never by name, as PrincipalDirectory does', async () => {
    expect(await directory.match(pki.organisation('centre').client.certificate)).toEqual({
      principal: { kind: 'organisation', id: 'centre', name: 'Centre' },
      matchedBy: 'organisation-identifier',
    });
    expect(await directory.lookup(pki.organisation('registry').client.certificate)).toBeUndefined();
    await expect(
      directory.resolve(pki.organisation('registry').client.certificate),
    ).rejects.toMatchObject({
      code: 'QC_PRINCIPAL_UNKNOWN',
    });
    // A personal certificate naming the employer does not authenticate as the employer.
    expect(await directory.lookup(pki.person.certificate)).toBeUndefined();
  });

  it('prefers a registration of issuer and serial, and follows changes', async () => {
    const leaf = pki.extras['centre-app']!.certificate;
    expect((await directory.lookup(leaf))?.id).toBe('centre');

    await w.admin.registerApplication(
      {
        id: 'centre-app',
        organisationId: 'centre',
        name: 'App',
        certificates: [{ certificatePem: pki.extras['centre-app']!.certPem }],
      },
      byAdmin,
    );
    expect(await directory.match(leaf)).toEqual({
      principal: { kind: 'application', id: 'centre-app', name: 'App', organisationId: 'centre' },
      matchedBy: 'issuer-serial',
    });

    await w.admin.suspendPrincipal('centre-app', byAdmin);
    expect((await directory.registered(leaf))?.registered).toMatchObject({
      id: 'centre-app',
      status: 'suspended',
    });
    await w.admin.revokePrincipal('centre-app', byAdmin);
    // A certificate registered to a revoked application does not fall back to its organisation.
    expect(await directory.lookup(leaf)).toBeUndefined();
    expect((await directory.lookup(pki.organisation('centre').client.certificate))?.id).toBe(
      'centre',
    );
    await w.admin.revokePrincipal('centre', byAdmin);
    expect(await directory.lookup(pki.organisation('centre').client.certificate)).toBeUndefined();
  });

  it('registers by issuer text and serial in any hex spelling, and maps users as persons', async () => {
    const person = pki.person.certificate;
    const spaced = `00:${person.serialNumber.toUpperCase().match(/../g)!.join(':')}`;
    await w.admin.registerUser(
      {
        id: 'centre-u1',
        organisationId: 'centre',
        name: 'Official',
        officialId: 'u1',
        certificates: [{ issuer: person.issuer.text, serialNumber: spaced }],
      },
      byAdmin,
    );
    expect(await directory.lookup(person)).toEqual({
      kind: 'person',
      id: 'centre-u1',
      name: 'Official',
      organisationId: 'centre',
    });
  });
});
