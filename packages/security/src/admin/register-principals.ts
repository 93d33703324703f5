// Registers organisations, applications, users and roles, and their certificates.

import { newId } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import {
  certificatesOf,
  findByOrganizationIdentifier,
  findCertificate,
  findOfficials,
  findPrincipal,
} from '../rights/read-registry.js';
import type { RightsInternals } from '../rights/rights-internals.js';
import { toPrincipal } from '../rights/row-mapping.js';
import type { PrincipalRow, RightsDb } from '../rights/tables.js';
import type {
  CertificateRegistration,
  CertificateRegistrationInput,
  ChangeContext,
  PrincipalKind,
  RegisteredPrincipal,
} from '../rights/types.js';
import {
  checkCertificate,
  checkId,
  checkOrganizationIdentifier,
  checkText,
  invalidInput,
} from '../rights/validate-input.js';
import { commitChange, duplicate, notFound, transitionInvalid } from './commit-change.js';

/** A new organisation, identified as its certificates identify it. */
export interface OrganisationInput {
  /** Default a new UUIDv7. */
  id?: string;
  name: string;
  /** ETSI EN 319 412-1 5.1.4 identifier from its certificates, e.g. `VATSI-12345678`. */
  organizationIdentifier?: string;
  /** Certificates registered in advance: issuer and serial number, or the certificate PEM. */
  certificates?: CertificateRegistrationInput[];
}

/** A new application of an organisation (a system that connects with its own certificate). */
export interface ApplicationInput {
  id?: string;
  organisationId: string;
  name: string;
  certificates?: CertificateRegistrationInput[];
}

/** A new user (official) of an organisation. */
export interface UserInput {
  id?: string;
  organisationId: string;
  name: string;
  /** The official's id as it travels in queries; unique among the organisation's live users. */
  officialId: string;
  certificates?: CertificateRegistrationInput[];
}

/** A new role, of one organisation or (without `organisationId`) for anyone. */
export interface RoleInput {
  id?: string;
  organisationId?: string;
  name: string;
}

interface NewPrincipal {
  id: string;
  kind: PrincipalKind;
  name: string;
  organisationId: string | null;
  organizationIdentifier: string | null;
  officialId: string | null;
  certificates: CertificateRegistration[];
}

/**
 * Registers a principal of any kind after its kind's checks.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_DUPLICATE`, `RIGHTS_NOT_FOUND` (owning
 *   organisation), `RIGHTS_TRANSITION_INVALID` (owning organisation revoked),
 *   `RIGHTS_TRAIL_FAILED`.
 */
export async function registerPrincipal(
  internals: RightsInternals,
  kind: PrincipalKind,
  input: OrganisationInput | ApplicationInput | UserInput | RoleInput,
  context: ChangeContext,
): Promise<RegisteredPrincipal> {
  const fresh = checkNewPrincipal(internals, kind, input);

  return commitChange(internals, context, async (trx, now) => {
    if (await findPrincipal(trx, fresh.id)) throw duplicate('principal id', { id: fresh.id });
    if (fresh.organisationId !== null) await assertLiveOrganisation(trx, fresh.organisationId);
    if (fresh.organizationIdentifier !== null) {
      const holder = await findByOrganizationIdentifier(trx, fresh.organizationIdentifier);
      if (holder) throw duplicate('organisation identifier', { holder: holder.id });
    }
    if (fresh.officialId !== null && fresh.organisationId !== null) {
      const users = await findOfficials(trx, fresh.organisationId, fresh.officialId);
      if (users.some((u) => u.status !== 'revoked')) throw duplicate('official id', {});
    }

    await trx
      .insertInto('rights_principals')
      .values({
        id: fresh.id,
        kind: fresh.kind,
        name: fresh.name,
        organisation_id: fresh.organisationId,
        organization_identifier: fresh.organizationIdentifier,
        official_id: fresh.officialId,
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const certificate of fresh.certificates) {
      await insertCertificate(internals, trx, fresh.id, certificate, now);
    }
    return {
      change: 'principal.register',
      entityKind: 'principal',
      state: await load(trx, fresh.id),
    };
  });
}

/**
 * Adds (`add`) or removes (`remove`) a certificate registration of a principal.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_NOT_FOUND`, `RIGHTS_DUPLICATE` (the
 *   certificate is registered to a principal already), `RIGHTS_TRANSITION_INVALID` (revoked
 *   principal, role, or removing a certificate that is not registered), `RIGHTS_TRAIL_FAILED`.
 */
export async function changeCertificate(
  internals: RightsInternals,
  principalId: string,
  certificate: CertificateRegistrationInput,
  how: 'add' | 'remove',
  context: ChangeContext,
): Promise<RegisteredPrincipal> {
  const id = checkId(principalId, 'principalId');
  const cert = checkCertificate(certificate);

  return commitChange(internals, context, async (trx, now) => {
    const row = await findPrincipal(trx, id);
    if (!row) throw notFound('principal', id);
    if (row.status === 'revoked') throw transitionInvalid('principal', id, row.status);
    if (row.kind === 'role') throw transitionInvalid('principal', id, 'a role');

    if (how === 'add') {
      await insertCertificate(internals, trx, id, cert, now);
    } else {
      const current = await findCertificate(trx, cert.issuer, cert.serialNumber);
      if (current?.principal_id !== id)
        throw transitionInvalid('certificate', id, 'not registered');
      await trx
        .updateTable('rights_certificates')
        .set({ status: 'removed', updated_at: now })
        .where('id', '=', current.id)
        .execute();
    }
    await bumpVersion(trx, row, now, row.status);
    const change = how === 'add' ? 'principal.certificate-add' : 'principal.certificate-remove';
    return { change, entityKind: 'principal', state: await load(trx, id) };
  });
}

/**
 * Suspends, resumes or revokes a principal. Suspension and revocation of an organisation stop its
 * applications and users too (authorize checks the organisation); nothing is deleted.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_NOT_FOUND`, `RIGHTS_TRANSITION_INVALID`,
 *   `RIGHTS_TRAIL_FAILED`.
 */
export async function changePrincipalStatus(
  internals: RightsInternals,
  principalId: string,
  how: 'suspend' | 'resume' | 'revoke',
  context: ChangeContext,
): Promise<RegisteredPrincipal> {
  const id = checkId(principalId, 'principalId');

  return commitChange(internals, context, async (trx, now) => {
    const row = await findPrincipal(trx, id);
    if (!row) throw notFound('principal', id);
    const next = nextStatus(row.status, how);
    if (!next) throw transitionInvalid('principal', id, row.status);

    await bumpVersion(trx, row, now, next);
    return { change: `principal.${how}`, entityKind: 'principal', state: await load(trx, id) };
  });
}

/** The status after `how`, or undefined when `how` does not apply to `status`. */
export function nextStatus(
  status: string,
  how: 'suspend' | 'resume' | 'revoke',
): 'active' | 'suspended' | 'revoked' | undefined {
  if (how === 'suspend') return status === 'active' ? 'suspended' : undefined;
  if (how === 'resume') return status === 'suspended' ? 'active' : undefined;
  return status === 'revoked' ? undefined : 'revoked';
}

function checkNewPrincipal(
  internals: RightsInternals,
  kind: PrincipalKind,
  input: OrganisationInput | ApplicationInput | UserInput | RoleInput,
): NewPrincipal {
  const v = (typeof input === 'object' && input !== null ? input : {}) as Partial<
    OrganisationInput & ApplicationInput & UserInput & RoleInput
  >;
  const owned = kind === 'application' || kind === 'user';
  if (owned && v.organisationId === undefined) {
    throw invalidInput('organisationId', `A ${kind} belongs to an organisation.`);
  }
  const certificates = v.certificates ?? [];
  if (
    !Array.isArray(certificates) ||
    certificates.length > 20 ||
    (kind === 'role' && certificates.length > 0)
  ) {
    throw invalidInput('certificates', 'certificates is a list of at most 20; roles have none.');
  }

  return {
    id: v.id === undefined ? newId(internals.clock) : checkId(v.id, 'id'),
    kind,
    name: checkText(v.name, 'name', 200),
    organisationId:
      kind === 'organisation' || v.organisationId === undefined
        ? null
        : checkId(v.organisationId, 'organisationId'),
    organizationIdentifier:
      kind === 'organisation' && v.organizationIdentifier !== undefined
        ? checkOrganizationIdentifier(v.organizationIdentifier)
        : null,
    officialId: kind === 'user' ? checkText(v.officialId, 'officialId', 100) : null,
    certificates: certificates.map(checkCertificate),
  };
}

async function assertLiveOrganisation(trx: Kysely<RightsDb>, id: string): Promise<void> {
  const organisation = await findPrincipal(trx, id);
  if (!organisation || organisation.kind !== 'organisation') throw notFound('organisation', id);
  if (organisation.status === 'revoked') throw transitionInvalid('organisation', id, 'revoked');
}

async function insertCertificate(
  internals: RightsInternals,
  trx: Kysely<RightsDb>,
  principalId: string,
  cert: CertificateRegistration,
  now: number,
): Promise<void> {
  const taken = await findCertificate(trx, cert.issuer, cert.serialNumber);
  if (taken) throw duplicate('certificate', { holder: taken.principal_id });
  await trx
    .insertInto('rights_certificates')
    .values({
      id: newId(internals.clock),
      principal_id: principalId,
      issuer: cert.issuer,
      serial_number: cert.serialNumber,
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

async function bumpVersion(
  trx: Kysely<RightsDb>,
  row: PrincipalRow,
  now: number,
  status: string,
): Promise<void> {
  await trx
    .updateTable('rights_principals')
    .set({ status, version: Number(row.version) + 1, updated_at: now })
    .where('id', '=', row.id)
    .execute();
}

/** The principal record as it is now inside `trx`. */
export async function load(trx: Kysely<RightsDb>, id: string): Promise<RegisteredPrincipal> {
  const row = await findPrincipal(trx, id);
  if (!row) throw notFound('principal', id);
  return toPrincipal(row, await certificatesOf(trx, [id]));
}
