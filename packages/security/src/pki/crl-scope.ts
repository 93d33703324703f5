// RFC 5280 6.3.3: may this complete CRL answer for this certificate (time, issuer, scope, reasons)?

import type { Certificate } from './certificate.js';
import { certificateExtensions, type DistributionPoint } from './cert-extensions.js';
import type { Crl } from './crl.js';
import { ALL_REASONS_MASK } from './crl-reason.js';
import { anyNameInCommon, fullNames } from './distribution-point.js';
import { comparableName, namesEqual } from './name-match.js';

/** Why a CRL was not used, for diagnostics. */
export type CrlRejection =
  'delta' | 'stale' | 'not-yet-issued' | 'issuer' | 'indirect' | 'unknown-critical' | 'scope';

/** A CRL that may answer, with the reasons it covers (RFC 5280 6.3.3 (d) interim_reasons_mask). */
export type CrlScope = { usable: true; reasons: number } | { usable: false; why: CrlRejection };

/**
 * RFC 5280 6.3.3 (a), (b), (d) and the extension rules of 5.2, without the signature (6.3.3 (f),
 * (g)) which needs the signer's path.
 */
export function crlScope(crl: Crl, cert: Certificate, time: Date): CrlScope {
  // Delta CRLs are not supported; a delta CRL never serves as a complete CRL (5.2.4).
  // TODO(pki-delta-crl): combine a complete CRL with its delta (6.3.3 (c)) if a CA needs it.
  if (crl.isDelta) return { usable: false, why: 'delta' };

  // (a): the CRL is current at the validation time.
  if (crl.thisUpdate > time) return { usable: false, why: 'not-yet-issued' };
  if (crl.nextUpdate && crl.nextUpdate < time) return { usable: false, why: 'stale' };

  // 5.2: a critical CRL extension that is not processed makes the CRL unusable.
  if (crl.unknownCritical.length > 0) return { usable: false, why: 'unknown-critical' };

  // (b)(1): a direct CRL, issued under the certificate's issuer name.
  // TODO(pki-indirect-crl): indirect CRLs (cRLIssuer, certificateIssuer entries) are not used.
  const idp = crl.issuingDistributionPoint;
  if (idp?.indirectCrl) return { usable: false, why: 'indirect' };
  const issuer = comparableName(cert.raw.issuer);
  if (!namesEqual(crl.issuerName, issuer)) return { usable: false, why: 'issuer' };

  // (b)(2)(ii)-(iv): the kinds of certificate the CRL covers.
  const isCa = certificateExtensions(cert.raw).basicConstraints?.ca === true;
  if (idp?.onlyContainsUserCerts && isCa) return { usable: false, why: 'scope' };
  if (idp?.onlyContainsCACerts && !isCa) return { usable: false, why: 'scope' };
  if (idp?.onlyContainsAttributeCerts) return { usable: false, why: 'scope' };

  // (b)(2)(i) and (d): a distribution point of the certificate this CRL serves.
  const point = matchingPoint(crl, cert);
  if (!point) return { usable: false, why: 'scope' };
  const reasons = (idp?.onlySomeReasons ?? ALL_REASONS_MASK) & (point.reasons ?? ALL_REASONS_MASK);
  return { usable: true, reasons };
}

/**
 * The certificate's distribution point the CRL matches. A certificate without
 * cRLDistributionPoints has one implied point: the issuer as CRL issuer, all reasons (6.3).
 * Points naming a cRLIssuer (indirect CRLs) are not supported and never match.
 */
function matchingPoint(crl: Crl, cert: Certificate): DistributionPoint | undefined {
  const idpName = crl.issuingDistributionPoint?.name;
  const points = certificateExtensions(cert.raw).crlDistributionPoints;
  const issuer = comparableName(cert.raw.issuer);

  if (!points) {
    if (!idpName) return {};
    const idpNames = fullNames(idpName, crl.issuerName);
    return anyNameInCommon(idpNames, [{ kind: 'directoryName', name: issuer }]) ? {} : undefined;
  }

  return points.find((point) => {
    if (point.crlIssuer) return false;
    if (!idpName) return true;
    if (!point.name) return false;
    return anyNameInCommon(fullNames(idpName, crl.issuerName), fullNames(point.name, issuer));
  });
}
