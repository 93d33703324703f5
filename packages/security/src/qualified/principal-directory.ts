// Maps validated certificates to registered principals: by issuer + serial, or
// organizationIdentifier.

import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { DistinguishedName } from '../pki/names.js';
import { comparableNameFromDer } from '../pki/name-match.js';
import { checkPrincipal, samePrincipal, type Principal, type PrincipalMatch } from './principal.js';

/** Something that maps a validated certificate to a principal (a directory, a store). */
export interface PrincipalLookup {
  /** The principal of `certificate`, or `undefined` when none is registered. */
  lookup(certificate: Certificate): Principal | undefined | Promise<Principal | undefined>;
}

/** Options of {@link PrincipalDirectory}. */
export interface PrincipalDirectoryOptions {
  /**
   * Also map certificates of natural persons (subject with givenName, surname or pseudonym) by
   * their organizationIdentifier. Default false: an employee's personal certificate that names
   * the employer does not authenticate as the employer; register it by issuer + serial instead.
   */
  organisationIdentifierForPersons?: boolean;
}

const ORGANIZATION_IDENTIFIER = '2.5.4.97';
/** X.520 givenName, surname, pseudonym: the subject is a natural person. */
const PERSON_ATTRIBUTES = ['2.5.4.42', '2.5.4.4', '2.5.4.65'];

/**
 * An in-memory registry of principals, keyed by organisation identifier (the subject's
 * organizationIdentifier attribute, ETSI EN 319 412-1 5.1.4) or by issuer name + serial number of
 * certificates registered in advance. It never guesses from CN or O. Use it only on certificates
 * whose path was validated.
 *
 * @example
 * ```ts
 * const directory = new PrincipalDirectory();
 * directory.registerOrganisationIdentifier('VATSI-50223054', {
 *   kind: 'organisation', id: 'org:tax-office', name: 'Tax Office',
 * });
 * const principal = directory.resolve(validatedLeaf); // or lookup() for undefined on no match
 * ```
 */
export class PrincipalDirectory implements PrincipalLookup {
  readonly #byOrganisationId = new Map<string, Principal>();
  readonly #byIssuerSerial = new Map<string, Principal>();
  readonly #options: PrincipalDirectoryOptions;

  constructor(options: PrincipalDirectoryOptions = {}) {
    this.#options = { ...options };
  }

  /** How many registrations (keys) the directory holds. */
  get size(): number {
    return this.#byOrganisationId.size + this.#byIssuerSerial.size;
  }

  /**
   * Registers an organisation identifier (e.g. `VATSI-50223054`) for `principal`.
   * @throws SecurityError `QC_PRINCIPAL_INVALID`, `QC_PRINCIPAL_CONFLICT` (bound to another).
   */
  registerOrganisationIdentifier(identifier: string, principal: Principal): void {
    if (typeof identifier !== 'string' || identifier === '' || identifier !== identifier.trim()) {
      throw new SecurityError(
        'QC_PRINCIPAL_INVALID',
        'An organisation identifier is empty or padded.',
      );
    }
    bind(this.#byOrganisationId, identifier, checkPrincipal(principal));
  }

  /**
   * Registers one certificate, by its issuer name and serial number, for `principal`.
   * @throws SecurityError `QC_PRINCIPAL_INVALID`, `QC_PRINCIPAL_CONFLICT`.
   */
  registerCertificate(certificate: Certificate, principal: Principal): void {
    this.registerIssuerSerial(certificate.issuer, certificate.serialNumber, principal);
  }

  /**
   * Registers the certificate with serial `serialNumber` (hex) issued by `issuer` (the issuer's
   * name, or the issuing CA certificate) for `principal`. Names compare per RFC 5280 7.1.
   * @throws SecurityError `QC_PRINCIPAL_INVALID` (bad serial or name), `QC_PRINCIPAL_CONFLICT`.
   */
  registerIssuerSerial(
    issuer: DistinguishedName | Certificate,
    serialNumber: string,
    principal: Principal,
  ): void {
    const name = 'fingerprintSha256' in issuer ? issuer.subject : issuer;
    bind(this.#byIssuerSerial, issuerSerialKey(name, serialNumber), checkPrincipal(principal));
  }

  /** Removes every registration of the principal with id `principalId`; returns how many. */
  remove(principalId: string): number {
    let removed = 0;
    for (const map of [this.#byOrganisationId, this.#byIssuerSerial]) {
      for (const [key, principal] of map) {
        if (principal.id === principalId) {
          map.delete(key);
          removed += 1;
        }
      }
    }
    return removed;
  }

  /**
   * The principal of a validated certificate and how it was found: the certificate's own
   * registration (issuer + serial) first, then its subject's single organizationIdentifier.
   */
  match(certificate: Certificate): PrincipalMatch | undefined {
    const own = this.#byIssuerSerial.get(
      issuerSerialKey(certificate.issuer, certificate.serialNumber),
    );
    if (own) return { principal: own, matchedBy: 'issuer-serial' };

    const identifier = this.#organisationIdentifier(certificate);
    const principal = identifier === undefined ? undefined : this.#byOrganisationId.get(identifier);
    return principal ? { principal, matchedBy: 'organisation-identifier' } : undefined;
  }

  /** The principal of a validated certificate, or `undefined` (a `PrincipalResolver`). */
  lookup(certificate: Certificate): Principal | undefined {
    return this.match(certificate)?.principal;
  }

  /**
   * The principal of a validated certificate.
   * @throws SecurityError `QC_PRINCIPAL_UNKNOWN` when none is registered for it.
   */
  resolve(certificate: Certificate): Principal {
    const found = this.match(certificate);
    if (!found) {
      // No certificate details in the error: a personal certificate identifies a person.
      throw new SecurityError(
        'QC_PRINCIPAL_UNKNOWN',
        'No principal is registered for the certificate.',
      );
    }
    return found.principal;
  }

  #organisationIdentifier(certificate: Certificate): string | undefined {
    const attributes = certificate.subject.rdns.flat();
    const values = attributes.filter((a) => a.oid === ORGANIZATION_IDENTIFIER).map((a) => a.value);
    // Two organizationIdentifier attributes are ambiguous: map by neither.
    if (values.length !== 1) return undefined;
    const isPerson = attributes.some((a) => PERSON_ATTRIBUTES.includes(a.oid));
    if (isPerson && !this.#options.organisationIdentifierForPersons) return undefined;
    return values[0];
  }
}

function bind(map: Map<string, Principal>, key: string, principal: Principal): void {
  const existing = map.get(key);
  if (existing && !samePrincipal(existing, principal)) {
    throw new SecurityError(
      'QC_PRINCIPAL_CONFLICT',
      'The key is already registered to another principal.',
      {
        context: { principalId: existing.id },
      },
    );
  }
  map.set(key, principal);
}

/** RFC 5280 7.1 name key + the serial as a canonical positive hex integer (no leading zeros). */
function issuerSerialKey(issuer: DistinguishedName, serialNumber: string): string {
  const hex =
    typeof serialNumber === 'string' ? serialNumber.replace(/[\s:]/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]+$/.test(hex)) {
    throw new SecurityError('QC_PRINCIPAL_INVALID', 'A serial number is not hexadecimal.');
  }
  let name: string;
  try {
    name = comparableNameFromDer(issuer.der).key;
  } catch (cause) {
    throw new SecurityError('QC_PRINCIPAL_INVALID', 'An issuer name cannot be read.', { cause });
  }
  return `${name}|${hex.replace(/^0+(?=.)/, '')}`;
}
