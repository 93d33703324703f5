// Reads the OCSP responder URLs a certificate names in AuthorityInfoAccess (RFC 5280 4.2.2.1).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Certificate } from '../certificate.js';
import { OID_AD_OCSP, OID_AUTHORITY_INFO_ACCESS } from './ocsp-oids.js';

/**
 * The http(s) URLs of the OCSP responders `cert` names, in order; empty when there are none or the
 * extension cannot be read.
 */
export function ocspResponderUrls(cert: Certificate): string[] {
  const ext = (cert.raw.extensions ?? []).find((e) => e.extnID === OID_AUTHORITY_INFO_ACCESS);
  if (!ext) return [];

  let access: pkijs.InfoAccess;
  try {
    access = new pkijs.InfoAccess({
      schema: asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result,
    });
  } catch {
    return [];
  }
  // GeneralName type 6 is uniformResourceIdentifier; only HTTP transport is defined (RFC 6960 A.1).
  return access.accessDescriptions
    .filter((d) => d.accessMethod === OID_AD_OCSP && d.accessLocation.type === 6)
    .map((d) => String(d.accessLocation.value))
    .filter((url) => /^https?:\/\//i.test(url));
}
