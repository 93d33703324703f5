// Maps a validated certificate to a registered principal from the rights registry (for mutual TLS),
// with the lookup interface of the in-memory `PrincipalDirectory`, so that either can be used.

import type { Kysely } from 'kysely';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { PrincipalLookup } from '../qualified/principal-directory.js';
import type { Principal, PrincipalMatch } from '../qualified/principal.js';
import type { Rights } from './open-rights.js';
import {
  certificatesOf,
  findByOrganizationIdentifier,
  findCertificate,
  findPrincipal,
} from './read-registry.js';
import { rightsInternals } from './rights-internals.js';
import { toPrincipal } from './row-mapping.js';
import type { RightsDb } from './tables.js';
import type { RegisteredPrincipal } from './types.js';
import { normaliseSerial } from './validate-input.js';

/** ETSI EN 319 412-1 5.1.4: the organizationIdentifier attribute of the subject. */
const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';
/** X.520 givenName, surname, pseudonym: the subject is a natural person. */
const PERSON_ATTRIBUTES = ['2.5.4.42', '2.5.4.4', '2.5.4.65'];

/** A registry entry found for a certificate, and how. */
export interface RegisteredMatch {
  registered: RegisteredPrincipal;
  matchedBy: PrincipalMatch['matchedBy'];
}

/** Looks up principals by certificate in the rights registry. */
export interface StorePrincipalDirectory extends PrincipalLookup {
  /** The principal of a validated certificate, or `undefined` (a `PrincipalResolver`). */
  lookup(certificate: Certificate): Promise<Principal | undefined>;
  /** The principal and how it was found (`issuer-serial` or `organisation-identifier`). */
  match(certificate: Certificate): Promise<PrincipalMatch | undefined>;
  /** The principal of a validated certificate. @throws SecurityError `QC_PRINCIPAL_UNKNOWN`. */
  resolve(certificate: Certificate): Promise<Principal>;
  /** The full registry record (status, certificates, version) and how it was found. */
  registered(certificate: Certificate): Promise<RegisteredMatch | undefined>;
}

/** Options of {@link createStorePrincipalDirectory}. */
export interface StorePrincipalDirectoryOptions {
  /** Cached lookups kept. Default 1000. */
  maxEntries?: number;
  /**
   * Also map certificates of natural persons by their organizationIdentifier. Default false, as
   * in `PrincipalDirectory`: register a person's certificate by issuer and serial instead.
   */
  organisationIdentifierForPersons?: boolean;
}

/**
 * A principal directory over the rights registry, usable wherever a `PrincipalDirectory` is
 * (`resolvePrincipal` of `authenticatePeer` and `mtlsGuard`). A certificate maps first by a
 * registration of its issuer (RFC 4514 text) and serial number, else by its subject's single
 * organizationIdentifier to an organisation. A certificate registered to a revoked principal maps
 * to nobody (no fall-back to the organisation); suspended principals are found, and authorize
 * refuses them with a reason. Never guesses from names. Users map as `person`; roles never map.
 *
 * Lookups are cached by certificate fingerprint until the registry changes (at once for changes
 * made through this process, within the service's staleness bound for other processes).
 *
 * @param rights - the service `openRights` returned.
 * @throws SecurityError `RIGHTS_INPUT_INVALID` when `rights` does not come from `openRights`.
 * @example
 * ```ts
 * const directory = createStorePrincipalDirectory(rights);
 * const guard = mtlsGuard({ validator, resolvePrincipal: (cert) => directory.lookup(cert) });
 * ```
 */
export function createStorePrincipalDirectory(
  rights: Rights,
  options: StorePrincipalDirectoryOptions = {},
): StorePrincipalDirectory {
  const internals = rightsInternals(rights);
  const maxEntries = options.maxEntries ?? 1000;
  const cache = new Map<string, RegisteredMatch | undefined>();
  let cachedGeneration = -1;

  const registered = async (certificate: Certificate): Promise<RegisteredMatch | undefined> => {
    const generation = await internals.currentGeneration();
    if (generation !== cachedGeneration) {
      cache.clear();
      cachedGeneration = generation;
    }
    const key = certificate.fingerprintSha256;
    if (!cache.has(key)) {
      const db = internals.store.db<RightsDb>();
      const found = await lookUp(
        db,
        certificate,
        options.organisationIdentifierForPersons ?? false,
      );
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(key, found);
    }
    return structuredClone(cache.get(key));
  };
  const match = async (certificate: Certificate): Promise<PrincipalMatch | undefined> => {
    const found = await registered(certificate);
    return found && { principal: asPrincipal(found.registered), matchedBy: found.matchedBy };
  };

  return {
    registered,
    match,
    lookup: async (certificate) => (await match(certificate))?.principal,
    resolve: async (certificate) => {
      const found = await match(certificate);
      if (!found) {
        throw new SecurityError(
          'QC_PRINCIPAL_UNKNOWN',
          'No principal is registered for the certificate.',
        );
      }
      return found.principal;
    },
  };
}

async function lookUp(
  db: Kysely<RightsDb>,
  certificate: Certificate,
  forPersons: boolean,
): Promise<RegisteredMatch | undefined> {
  const serial = normaliseSerial(certificate.serialNumber);
  const registration = await findCertificate(db, certificate.issuer.text, serial);
  if (registration) {
    const row = await findPrincipal(db, registration.principal_id);
    if (!row || row.status === 'revoked') return undefined;
    const registered = toPrincipal(row, await certificatesOf(db, [row.id]));
    return { registered, matchedBy: 'issuer-serial' };
  }

  const identifier = organisationIdentifier(certificate, forPersons);
  const row =
    identifier === undefined ? undefined : await findByOrganizationIdentifier(db, identifier);
  if (!row || row.kind !== 'organisation') return undefined;
  const registered = toPrincipal(row, await certificatesOf(db, [row.id]));
  return { registered, matchedBy: 'organisation-identifier' };
}

/** The subject's one organizationIdentifier; none when there are two, or for a person. */
function organisationIdentifier(certificate: Certificate, forPersons: boolean): string | undefined {
  const attributes = certificate.subject.rdns.flat();
  const values = attributes
    .filter((a) => a.oid === ORGANIZATION_IDENTIFIER_OID)
    .map((a) => a.value);
  if (values.length !== 1) return undefined;
  const isPerson = attributes.some((a) => PERSON_ATTRIBUTES.includes(a.oid));
  return isPerson && !forPersons ? undefined : values[0];
}

/** The `Principal` of the qualified-certificates module for a registry record. */
function asPrincipal(registered: RegisteredPrincipal): Principal {
  const kind = registered.kind === 'user' ? 'person' : (registered.kind as Principal['kind']);
  return Object.freeze({
    kind,
    id: registered.id,
    name: registered.name,
    ...(registered.organisationId === null ? {} : { organisationId: registered.organisationId }),
  });
}
