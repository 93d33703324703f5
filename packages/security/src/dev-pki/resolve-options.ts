// Checks the options of the development PKI and fills in the defaults.

import { validateTaxNumber } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { DevKeyAlgorithm } from './crypto-engine.js';
import { handleFromName, randomLabel, randomTaxNumber } from './dev-identifiers.js';
import type { DevExtraCertificateOptions, DevPkiOptions } from './dev-pki-options.js';

const DAY = 86_400_000;
const HANDLE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** An organisation with every default filled in. */
export interface ResolvedOrganisation {
  id: string;
  name: string;
  taxNumber: string;
  organizationIdentifier: string;
  dnsNames: string[];
  ipAddresses: string[];
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  keyAlgorithm: DevKeyAlgorithm;
  now: Date;
  leafNotBefore: Date;
  leafNotAfter: Date;
  caNotBefore: Date;
  caNotAfter: Date;
  label: string;
  organisations: ResolvedOrganisation[];
  sealOrganisation: ResolvedOrganisation;
  extras: DevExtraCertificateOptions[];
  revoke: string[];
  revocationDate: Date;
  crlNextUpdate: Date;
  crlBaseUrl?: string;
  ocspUrl?: string;
  pdsUrl: string;
}

/**
 * Validates `options` and applies the defaults.
 * @throws SecurityError `DEVPKI_OPTIONS_INVALID`, `DEVPKI_NAME_UNKNOWN` (seal organisation).
 */
export function resolveOptions(options: DevPkiOptions): ResolvedOptions {
  const now = checkDate(options.now ?? new Date(), 'now');
  const days = options.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    invalid('days must be a whole number from 1 to 36500.', { days });
  }
  const keyAlgorithm = options.keyAlgorithm ?? 'ecdsa-p256';
  if (keyAlgorithm !== 'ecdsa-p256' && keyAlgorithm !== 'rsa-2048') {
    invalid('keyAlgorithm must be ecdsa-p256 or rsa-2048.', { keyAlgorithm: String(keyAlgorithm) });
  }

  const leafNotBefore = checkDate(
    options.notBefore ?? new Date(now.getTime() - 300_000),
    'notBefore',
  );
  const leafNotAfter = checkDate(
    options.notAfter ?? new Date(now.getTime() + days * DAY),
    'notAfter',
  );
  if (leafNotAfter <= leafNotBefore) invalid('notAfter must be later than notBefore.');
  const extras = options.extras ?? [];
  const starts = [leafNotBefore, now, ...extras.flatMap((e) => (e.notBefore ? [e.notBefore] : []))];
  const ends = [leafNotAfter, now, ...extras.flatMap((e) => (e.notAfter ? [e.notAfter] : []))];
  const caNotBefore = checkDate(
    options.caNotBefore ?? new Date(earliest(starts) - DAY),
    'caNotBefore',
  );
  const caNotAfter = checkDate(options.caNotAfter ?? new Date(latest(ends) + DAY), 'caNotAfter');
  if (caNotAfter <= caNotBefore) invalid('caNotAfter must be later than caNotBefore.');

  const organisations = resolveOrganisations(options);
  const sealId = options.sealOrganisation ?? organisations[0]!.id;
  const sealOrganisation = organisations.find((o) => o.id === sealId);
  if (!sealOrganisation) {
    throw new SecurityError('DEVPKI_NAME_UNKNOWN', 'The seal organisation is not in the list.', {
      context: { organisation: sealId },
    });
  }

  checkHandles(organisations, extras);
  const label = options.label ?? randomLabel();
  if (!/^[A-Za-z0-9 ._-]{1,32}$/.test(label)) invalid('label must be 1-32 plain characters.');
  const crlDays = options.crlDays ?? 7;
  if (!(crlDays > 0)) invalid('crlDays must be positive.');

  return {
    keyAlgorithm,
    now,
    leafNotBefore,
    leafNotAfter,
    caNotBefore,
    caNotAfter,
    label,
    organisations,
    sealOrganisation,
    extras,
    revoke: options.revoke ?? [],
    revocationDate: checkDate(
      options.revocationDate ?? new Date(now.getTime() - 3_600_000),
      'revocationDate',
    ),
    crlNextUpdate: new Date(now.getTime() + crlDays * DAY),
    crlBaseUrl:
      options.crlBaseUrl === undefined
        ? undefined
        : checkUrl(options.crlBaseUrl).replace(/\/+$/, ''),
    ocspUrl: options.ocspUrl === undefined ? undefined : checkUrl(options.ocspUrl),
    pdsUrl: checkUrl(options.pdsUrl ?? 'https://dev-pki.example/pds-en'),
  };
}

function resolveOrganisations(options: DevPkiOptions): ResolvedOrganisation[] {
  const given = options.organisations ?? [{ name: 'Development Organisation', id: 'dev-org' }];
  if (given.length === 0) invalid('At least one organisation is needed.');

  const taken = new Set(given.flatMap((o) => (o.taxNumber ? [o.taxNumber] : [])));
  return given.map((o) => {
    if (typeof o.name !== 'string' || o.name.trim() === '' || o.name.length > 64) {
      invalid('An organisation name must have 1-64 characters.');
    }
    if (o.taxNumber !== undefined && !validateTaxNumber(o.taxNumber)) {
      invalid('An organisation tax number is not a valid Slovenian tax number.', {
        organisation: o.id,
      });
    }
    const taxNumber = o.taxNumber ?? randomTaxNumber(taken);
    taken.add(taxNumber);
    return {
      id: o.id ?? handleFromName(o.name),
      name: o.name,
      taxNumber,
      organizationIdentifier: o.organizationIdentifier ?? `VATSI-${taxNumber}`,
      dnsNames: o.dnsNames ?? ['localhost'],
      ipAddresses: o.ipAddresses ?? ['127.0.0.1', '::1'],
    };
  });
}

function checkHandles(
  organisations: ResolvedOrganisation[],
  extras: DevExtraCertificateOptions[],
): void {
  const handles = ['root', 'intermediate', 'seal', 'person'];
  for (const o of organisations) {
    if (!HANDLE.test(o.id))
      invalid('An organisation id must match [a-z0-9-].', { organisation: o.id });
    handles.push(`${o.id}-server`, `${o.id}-client`);
  }
  for (const e of extras) {
    if (!HANDLE.test(e.name))
      invalid('An extra certificate name must match [a-z0-9-].', { name: e.name });
    handles.push(e.name);
  }
  const seen = new Set<string>();
  for (const h of handles) {
    if (seen.has(h)) invalid('Two certificates would have the same name.', { name: h });
    seen.add(h);
  }
}

function checkDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    invalid('A date option is not a valid Date.', { field });
  }
  return value;
}

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid('A URL option is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    invalid('A URL option must be http(s).');
  return value;
}

function earliest(dates: Date[]): number {
  return Math.min(...dates.map((d) => d.getTime()));
}

function latest(dates: Date[]): number {
  return Math.max(...dates.map((d) => d.getTime()));
}

function invalid(message: string, context?: Record<string, string | number | undefined>): never {
  throw new SecurityError('DEVPKI_OPTIONS_INVALID', message, { context });
}
