// Loads a member state's trusted list: verifies its signature, reads it, picks the CA/QC anchors.

import type { Element } from '@xmldom/xmldom';
import { systemClock, type Clock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { trustPinnedCertificates } from '../xml/trust-pinned-certificates.js';
import { verifyXml } from '../xml/verify-xml.js';
import { readSchemeInformation, type SchemeInformation } from './read-scheme-information.js';
import { readServices, type TrustedListService } from './read-services.js';
import { isGrantedCaQcAt, type StatusPolicy } from './service-status-at.js';
import { TSL_NS } from './tsl-uris.js';

/** Options of {@link loadTrustedList}. */
export interface LoadTrustedListOptions extends StatusPolicy {
  /**
   * The certificates allowed to sign this list (as published in the EU list of trusted lists).
   * The signing certificate must be one of them byte for byte; chaining to one is not enough.
   */
  listSigners: readonly Certificate[];
  /** The time the anchors are chosen for (service status at that time); default now. */
  time?: Date;
  /** The expected SchemeTerritory, e.g. `SI`; default any. */
  territory?: string;
  /** Accept a list past its NextUpdate (or closed), flagged `stale`; default false. */
  acceptStale?: boolean;
  /**
   * `'allow'` (the default) accepts a XAdES signature (how member states sign, ETSI TS 119 612
   * 5.7.1 and EN 319 132-1 baseline B-B) or plain XML-DSig; `'require'` accepts XAdES only.
   */
  xades?: 'allow' | 'require';
  /** Largest accepted list in bytes; default 16 MiB. */
  maxBytes?: number;
  /** Source of "now" for NextUpdate and the signer's validity; default the system clock. */
  clock?: Clock;
  signal?: AbortSignal;
}

/** A verified trusted list. */
export interface TrustedList extends SchemeInformation {
  /** The configured list signer that signed it. */
  readonly signer: Certificate;
  /** The signed XAdES SigningTime (the signer's claim); null for plain XML-DSig or when absent. */
  readonly signingTime: Date | null;
  /** True when it was accepted past its NextUpdate (or closed) because `acceptStale` was set. */
  readonly stale: boolean;
  /** The time `anchors` were chosen for. */
  readonly time: Date;
  /** Certificates of the CA/QC services granted at `time`: anchors for qualified certificates. */
  readonly anchors: readonly Certificate[];
  /** Every service of the list, with its history. */
  readonly services: readonly TrustedListService[];
}

/** Default of {@link LoadTrustedListOptions.maxBytes}. */
export const DEFAULT_MAX_TRUSTED_LIST_BYTES = 16 * 1024 * 1024;

/**
 * Loads a trusted list (ETSI TS 119 612): checks that it carries exactly one valid enveloped
 * XML-DSig signature over the whole list by one of `listSigners` (XAdES, with its signed
 * SignedProperties and signing certificate checked, or plain), reads its scheme information
 * and services, refuses it past NextUpdate, and returns the certificates of the CA/QC services
 * whose status at `time` (from the current entry and the history) is granted.
 *
 * @param xml - The list as text or UTF-8 bytes.
 * @param options - List signers, validation time and policy.
 * @throws SecurityError `TL_OPTIONS_INVALID` (no list signer), `TL_MALFORMED` (not well-formed,
 *   DOCTYPE, too large, not a TrustServiceStatusList, bad field), `TL_SIGNATURE_MISSING`,
 *   `TL_SIGNATURE_COUNT`, `TL_SIGNATURE_INVALID` (the XML-DSig or XAdES code in
 *   `context.xmlCode`: `XML_DIGEST_MISMATCH`, `XML_SIGNING_CERTIFICATE_MISMATCH`,
 *   `XML_XADES_MALFORMED`, `XML_XADES_MISSING`, `XML_WRAPPING`, ...), `TL_SIGNER_UNTRUSTED`,
 *   `TL_TERRITORY_MISMATCH`, `TL_STALE`.
 * @example
 * ```ts
 * const list = await loadTrustedList(xml, { listSigners: [siListSigner], territory: 'SI' });
 * const anchors = trustAnchorsFromTrustedLists([list]);
 * const validator = new CertificateValidator({ trustAnchors: anchors });
 * ```
 */
export async function loadTrustedList(
  xml: string | Uint8Array,
  options: LoadTrustedListOptions,
): Promise<TrustedList> {
  if (options.listSigners.length === 0) {
    throw new SecurityError('TL_OPTIONS_INVALID', 'No list-signer certificate is configured.');
  }
  const clock = options.clock ?? systemClock;

  // TS 119 612 5.7.1: the list is signed with an enveloped signature over the whole document.
  const { element: root, signer, signingTime } = await verifySignature(xml, options, clock);
  if (root.namespaceURI !== TSL_NS || root.localName !== 'TrustServiceStatusList') {
    throw new SecurityError('TL_MALFORMED', 'The document is not a TrustServiceStatusList.', {
      context: { element: root.localName },
    });
  }

  const scheme = readSchemeInformation(root);
  if (options.territory !== undefined && scheme.territory !== options.territory) {
    throw new SecurityError('TL_TERRITORY_MISMATCH', 'The list is of another territory.', {
      context: { expected: options.territory, found: scheme.territory },
    });
  }
  const stale = isStale(scheme, clock.now());
  if (stale && options.acceptStale !== true) {
    throw new SecurityError('TL_STALE', 'The trusted list is past its NextUpdate.', {
      context: {
        territory: scheme.territory,
        nextUpdate: scheme.nextUpdate?.toISOString() ?? 'closed',
      },
    });
  }

  const services = readServices(root);
  const time = options.time ?? new Date(clock.now());
  return {
    ...scheme,
    signer,
    signingTime,
    stale,
    time,
    anchors: grantedAnchors(services, time, options),
    services,
  };
}

/**
 * The certificates of the CA/QC services of `services` granted at `time`, without duplicates.
 * Use it to choose anchors for another time than the one a list was loaded for.
 */
export function grantedAnchors(
  services: readonly TrustedListService[],
  time: Date,
  policy: StatusPolicy = {},
): Certificate[] {
  const anchors = new Map<string, Certificate>();
  for (const service of services) {
    if (!isGrantedCaQcAt(service, time, policy)) continue;
    for (const cert of service.certificates) anchors.set(cert.fingerprintSha256, cert);
  }
  return [...anchors.values()];
}

/** 5.3.15: past NextUpdate, or closed (no NextUpdate dateTime). */
function isStale(scheme: SchemeInformation, now: number): boolean {
  return scheme.nextUpdate === undefined || scheme.nextUpdate.getTime() < now;
}

const PARSER_CODES = new Set([
  'XML_TOO_LARGE',
  'XML_MALFORMED',
  'XML_DOCTYPE_FORBIDDEN',
  'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
  'XML_TOO_DEEP',
]);

async function verifySignature(
  xml: string | Uint8Array,
  options: LoadTrustedListOptions,
  clock: Clock,
): Promise<{ element: Element; signer: Certificate; signingTime: Date | null }> {
  try {
    const verified = await verifyXml(xml, {
      trust: trustPinnedCertificates(options.listSigners),
      signedElement: 'document',
      xades: options.xades ?? 'allow',
      maxBytes: options.maxBytes ?? DEFAULT_MAX_TRUSTED_LIST_BYTES,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      element: verified.element,
      signer: verified.signer,
      signingTime: verified.xades?.signingTime ?? null,
    };
  } catch (cause) {
    options.signal?.throwIfAborted();
    throw translate(cause);
  }
}

/** Maps the XML-DSig refusal to the trusted-list code, keeping it as cause and in context. */
function translate(cause: unknown): SecurityError {
  if (!(cause instanceof SecurityError)) {
    return new SecurityError('TL_SIGNATURE_INVALID', 'The trusted list cannot be verified.', {
      cause,
    });
  }
  const context = { xmlCode: cause.code };
  if (PARSER_CODES.has(cause.code)) {
    return new SecurityError('TL_MALFORMED', 'The trusted list is not acceptable XML.', {
      context,
      cause,
    });
  }
  switch (cause.code) {
    case 'XML_SIGNATURE_MISSING':
      return new SecurityError('TL_SIGNATURE_MISSING', 'The trusted list is not signed.', {
        context,
        cause,
      });
    case 'XML_SIGNATURE_COUNT':
      return new SecurityError('TL_SIGNATURE_COUNT', 'The trusted list has several signatures.', {
        context,
        cause,
      });
    case 'XML_KEY_UNTRUSTED':
    case 'XML_KEY_INFO_UNSUPPORTED':
      return new SecurityError(
        'TL_SIGNER_UNTRUSTED',
        'The trusted list is not signed by a configured list signer.',
        { context, cause },
      );
    default:
      return new SecurityError('TL_SIGNATURE_INVALID', 'The trusted list signature is not valid.', {
        context,
        cause,
      });
  }
}
