// Decodes CRL extensions (RFC 5280 5.2): number, delta indicator, issuing distribution point.

import type * as pkijs from 'pkijs';
import { bool, children, contentBytes, contextTag, hex, namedBits, parseDer } from './der-read.js';
import { readDistributionPointName, type DistributionPointName } from './distribution-point.js';
import { CRL_EXT } from './oids.js';

/** The issuingDistributionPoint extension (RFC 5280 5.2.5): the scope of a CRL. */
export interface IssuingDistributionPoint {
  readonly name?: DistributionPointName;
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  /** ReasonFlags as a named-bit mask; undefined means all reasons. */
  readonly onlySomeReasons?: number;
  readonly indirectCrl: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

/** The decoded CRL extensions. */
export interface CrlExtensions {
  readonly crlNumber?: string;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  readonly isDelta: boolean;
  readonly authorityKeyId?: string;
  readonly unknownCritical: string[];
}

const UNDERSTOOD = new Set<string>([
  CRL_EXT.authorityKeyIdentifier,
  CRL_EXT.issuerAltName,
  CRL_EXT.crlNumber,
  CRL_EXT.deltaCrlIndicator,
  CRL_EXT.issuingDistributionPoint,
]);

/** Decodes the crlExtensions of a CRL; throws a DerShapeError on malformed content. */
export function readCrlExtensions(extensions: readonly pkijs.Extension[]): CrlExtensions {
  let crlNumber: string | undefined;
  let issuingDistributionPoint: IssuingDistributionPoint | undefined;
  let isDelta = false;
  let authorityKeyId: string | undefined;
  const unknownCritical: string[] = [];

  for (const ext of extensions) {
    const value = parseDer(ext.extnValue.valueBlock.valueHexView);
    switch (ext.extnID) {
      case CRL_EXT.crlNumber:
        crlNumber = hex(contentBytes(value));
        break;
      case CRL_EXT.deltaCrlIndicator:
        isDelta = true;
        break;
      case CRL_EXT.issuingDistributionPoint:
        issuingDistributionPoint = readIdp(value);
        break;
      case CRL_EXT.authorityKeyIdentifier: {
        const keyId = children(value).find((item) => contextTag(item) === 0);
        authorityKeyId = keyId ? hex(contentBytes(keyId)) : undefined;
        break;
      }
      default:
        if (ext.critical && !UNDERSTOOD.has(ext.extnID)) unknownCritical.push(ext.extnID);
    }
  }
  return { crlNumber, issuingDistributionPoint, isDelta, authorityKeyId, unknownCritical };
}

function readIdp(value: Parameters<typeof children>[0]): IssuingDistributionPoint {
  const idp = {
    name: undefined as DistributionPointName | undefined,
    onlyContainsUserCerts: false,
    onlyContainsCACerts: false,
    onlySomeReasons: undefined as number | undefined,
    indirectCrl: false,
    onlyContainsAttributeCerts: false,
  };
  for (const item of children(value)) {
    switch (contextTag(item)) {
      case 0:
        idp.name = readDistributionPointName(item);
        break;
      case 1:
        idp.onlyContainsUserCerts = bool(item);
        break;
      case 2:
        idp.onlyContainsCACerts = bool(item);
        break;
      case 3:
        idp.onlySomeReasons = namedBits(item);
        break;
      case 4:
        idp.indirectCrl = bool(item);
        break;
      case 5:
        idp.onlyContainsAttributeCerts = bool(item);
        break;
      default:
        break;
    }
  }
  return idp;
}
