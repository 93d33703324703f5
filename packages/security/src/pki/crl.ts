// Parses X.509 CRLs (PEM or DER, RFC 5280 section 5) into a read-only view over the pkijs object.

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import { readPem, isPem } from './pem.js';
import { nameFromPkijs, type DistinguishedName } from './names.js';
import { comparableName, type ComparableName } from './name-match.js';
import { reasonFromCode, type RevocationReason } from './crl-reason.js';
import { readCrlExtensions, type IssuingDistributionPoint } from './crl-extensions.js';
import { CRL_EXT } from './oids.js';

/** One entry of a CRL's revokedCertificates list. */
export interface CrlEntry {
  /** Serial number as lower-case hex, as encoded (comparable with `Certificate.serialNumber`). */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: RevocationReason;
  /** OIDs of critical entry extensions this validator does not process (RFC 5280 5.3). */
  readonly unknownCritical: readonly string[];
}

/** A parsed certificate revocation list. Immutable; `raw` is the pkijs object. */
export interface Crl {
  readonly der: Uint8Array;
  readonly issuer: DistinguishedName;
  /** The issuer prepared for RFC 5280 7.1 comparison. */
  readonly issuerName: ComparableName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  /** cRLNumber as hex, when present. */
  readonly crlNumber?: string;
  /** Revoked entries keyed by serial number hex. */
  readonly entries: ReadonlyMap<string, CrlEntry>;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  /** True for a delta CRL (deltaCRLIndicator present, RFC 5280 5.2.4). */
  readonly isDelta: boolean;
  /** Authority key identifier (hex), a hint for finding the signer. */
  readonly authorityKeyId?: string;
  /** OIDs of critical CRL extensions this validator does not process. */
  readonly unknownCritical: readonly string[];
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprintSha256: string;
  readonly raw: pkijs.CertificateRevocationList;
}

/**
 * Parses one CRL from DER bytes or PEM text (the first `X509 CRL` block).
 *
 * @param input DER bytes or PEM text.
 * @returns The parsed CRL.
 * @throws SecurityError `PKI_PEM_MALFORMED`, `PKI_WRONG_TYPE` (e.g. a certificate given as a CRL),
 *   `PKI_CRL_MALFORMED` (garbage, truncated DER or a malformed extension).
 * @example
 * ```ts
 * const crl = parseCrl(await readFile('ca.crl'));
 * ```
 */
export function parseCrl(input: string | Uint8Array): Crl {
  if (!isPem(input)) return crlFromDer(input as Uint8Array);

  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const blocks = readPem(text);
  const block = blocks.find((b) => b.label === 'X509 CRL');
  if (!block) {
    throw new SecurityError('PKI_WRONG_TYPE', 'The PEM text holds no X509 CRL block.', {
      context: { found: blocks[0]?.label },
    });
  }
  return crlFromDer(block.der);
}

/**
 * Parses every `X509 CRL` block of PEM text, or one DER CRL.
 * @throws SecurityError as {@link parseCrl}.
 */
export function parseCrls(input: string | Uint8Array): Crl[] {
  if (!isPem(input)) return [crlFromDer(input as Uint8Array)];
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const crls = readPem(text)
    .filter((b) => b.label === 'X509 CRL')
    .map((b) => crlFromDer(b.der));
  if (crls.length === 0) {
    throw new SecurityError('PKI_WRONG_TYPE', 'The PEM text holds no X509 CRL block.');
  }
  return crls;
}

function crlFromDer(der: Uint8Array): Crl {
  const bytes = new Uint8Array(der);
  const raw = decode(bytes);

  try {
    const ext = readCrlExtensions(raw.crlExtensions?.extensions ?? []);
    const entries = new Map<string, CrlEntry>();
    for (const revoked of raw.revokedCertificates ?? []) {
      const entry = readEntry(revoked);
      entries.set(entry.serialNumber, entry);
    }
    return Object.freeze({
      der: bytes,
      issuer: nameFromPkijs(raw.issuer),
      issuerName: comparableName(raw.issuer),
      thisUpdate: raw.thisUpdate.value,
      nextUpdate: raw.nextUpdate?.value,
      crlNumber: ext.crlNumber,
      entries,
      issuingDistributionPoint: ext.issuingDistributionPoint,
      isDelta: ext.isDelta,
      authorityKeyId: ext.authorityKeyId,
      unknownCritical: ext.unknownCritical,
      fingerprintSha256: createHash('sha256').update(bytes).digest('hex'),
      raw,
    });
  } catch (cause) {
    if (cause instanceof SecurityError) throw cause;
    throw new SecurityError('PKI_CRL_MALFORMED', 'The CRL content cannot be read.', { cause });
  }
}

function decode(bytes: Uint8Array): pkijs.CertificateRevocationList {
  const asn1 = asn1js.fromBER(bytes);
  if (asn1.offset === -1 || asn1.offset !== bytes.byteLength) {
    throw new SecurityError('PKI_CRL_MALFORMED', 'The CRL is not one complete DER value.', {
      context: { length: bytes.byteLength },
    });
  }
  try {
    return new pkijs.CertificateRevocationList({ schema: asn1.result });
  } catch (cause) {
    if (looksLikeCertificate(asn1.result)) {
      throw new SecurityError('PKI_WRONG_TYPE', 'A certificate was given where a CRL is expected.');
    }
    throw new SecurityError('PKI_CRL_MALFORMED', 'The CRL cannot be parsed.', { cause });
  }
}

function looksLikeCertificate(schema: asn1js.AsnType): boolean {
  try {
    new pkijs.Certificate({ schema });
    return true;
  } catch {
    return false;
  }
}

const ENTRY_UNDERSTOOD = new Set<string>([
  CRL_EXT.reasonCode,
  CRL_EXT.invalidityDate,
  CRL_EXT.holdInstructionCode,
]);

function readEntry(revoked: pkijs.RevokedCertificate): CrlEntry {
  const serialNumber = Buffer.from(revoked.userCertificate.valueBlock.valueHexView).toString('hex');
  let reason: RevocationReason | undefined;
  const unknownCritical: string[] = [];
  for (const ext of revoked.crlEntryExtensions?.extensions ?? []) {
    if (ext.extnID === CRL_EXT.reasonCode) {
      const value = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
      if (value instanceof asn1js.Enumerated) reason = reasonFromCode(value.valueBlock.valueDec);
    }
    // certificateIssuer (indirect CRLs) is not processed, so a critical one is unknown here.
    if (ext.critical && !ENTRY_UNDERSTOOD.has(ext.extnID)) unknownCritical.push(ext.extnID);
  }
  return { serialNumber, revocationDate: revoked.revocationDate.value, reason, unknownCritical };
}
