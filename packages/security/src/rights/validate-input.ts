// Checks administration inputs: ids, names, purposes, fields, times, certificate registrations.

import { SecurityError } from '../errors.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { parseSemanticIdentifier } from '../qualified/semantic-identifier.js';
import type { CertificateRegistration } from './types.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** No control characters (Unicode general category Cc). */
const PRINTABLE = /^\P{Cc}+$/u;
/** Purpose codes as core's `PurposeCodeSchema` defines them. */
const PURPOSE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A field name, or a dotted path to a nested field. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SERIAL = /^[0-9a-f]{1,80}$/;

/** Throws `RIGHTS_INPUT_INVALID` naming the field (never its value). */
export function invalidInput(field: string, message: string): SecurityError {
  return new SecurityError('RIGHTS_INPUT_INVALID', message, { context: { field } });
}

/** An id chosen by the caller: letters, digits, `.`, `_`, `:`, `-`; up to 128 characters. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw invalidInput(field, `${field} is 1 to 128 letters, digits, '.', '_', ':' or '-'.`);
  }
  return value;
}

/** Printable text of 1 to `max` characters, trimmed. */
export function checkText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > max || !PRINTABLE.test(text)) {
    throw invalidInput(field, `${field} is printable text of 1 to ${max} characters.`);
  }
  return text;
}

/** A purpose code such as `child-benefit`. */
export function isPurposeCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && PURPOSE.test(value);
}

/** A non-empty set of purpose codes, returned sorted without duplicates. */
export function checkPurposes(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) {
    throw invalidInput('purposes', 'purposes is a list of 1 to 100 purpose codes.');
  }
  if (!value.every(isPurposeCode)) {
    throw invalidInput('purposes', 'A purpose code is lower-case words joined by hyphens.');
  }
  return [...new Set(value)].sort();
}

/** `'*'` or absent for every field, else a non-empty list of field names (sorted, unique). */
export function checkFields(value: unknown): string[] | '*' {
  if (value === undefined || value === null || value === '*') return '*';
  if (!Array.isArray(value) || value.length === 0 || value.length > 500) {
    throw invalidInput('fields', "fields is '*' or a list of 1 to 500 field names.");
  }
  if (!value.every((f) => typeof f === 'string' && f.length <= 128 && FIELD.test(f))) {
    throw invalidInput('fields', 'A field name is a word or a dotted path of words.');
  }
  return [...new Set(value as string[])].sort();
}

/** A time as epoch milliseconds, from a Date, an ISO 8601 string or epoch milliseconds. */
export function checkTime(value: unknown, field: string): number {
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) {
    ms = Date.parse(value);
  }
  if (!Number.isSafeInteger(ms)) {
    throw invalidInput(field, `${field} is a Date, an ISO 8601 time or epoch milliseconds.`);
  }
  return ms;
}

/**
 * An organisation identifier of ETSI EN 319 412-1 5.1.4 (a legal person's semantic identifier),
 * e.g. `VATSI-12345678`, as the qualified certificates module parses it.
 */
export function checkOrganizationIdentifier(value: unknown): string {
  try {
    if (typeof value !== 'string' || value.length > 80) throw new TypeError('not a short text');
    return parseSemanticIdentifier(value, 'legal').value;
  } catch {
    throw invalidInput(
      'organizationIdentifier',
      'organizationIdentifier follows ETSI EN 319 412-1 5.1.4, e.g. VATSI-12345678.',
    );
  }
}

/**
 * A certificate registration from `{ issuer, serialNumber }` or from the certificate itself
 * (`{ certificatePem }`, whose issuer and serial are read). The issuer is kept as RFC 4514 text;
 * the serial number as lower-case hex without separators or leading zeros.
 */
export function checkCertificate(value: unknown): CertificateRegistration {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (v.certificatePem !== undefined) {
    if (v.issuer !== undefined || v.serialNumber !== undefined) {
      throw invalidInput('certificate', 'Give certificatePem, or issuer and serialNumber.');
    }
    let certificate: Certificate;
    try {
      if (typeof v.certificatePem !== 'string' || v.certificatePem.length > 20_000) {
        throw new TypeError('not a PEM text of at most 20000 characters');
      }
      certificate = parseCertificate(v.certificatePem);
    } catch (cause) {
      throw new SecurityError('RIGHTS_INPUT_INVALID', 'certificatePem is not a PEM certificate.', {
        context: { field: 'certificate.certificatePem' },
        cause,
      });
    }
    return {
      issuer: certificate.issuer.text,
      serialNumber: normaliseSerial(certificate.serialNumber),
    };
  }

  const issuer = checkText(v.issuer, 'certificate.issuer', 1024);
  const serial = normaliseSerial(v.serialNumber);
  if (!SERIAL.test(serial)) {
    throw invalidInput('certificate.serialNumber', 'serialNumber is hex, up to 80 digits.');
  }
  return { issuer, serialNumber: serial };
}

/** A serial number as lower-case hex without `:`, spaces or leading zeros (`00:0A` -> `a`). */
export function normaliseSerial(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/[\s:]/g, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}
