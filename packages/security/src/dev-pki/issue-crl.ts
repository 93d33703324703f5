// Issues a CRL (RFC 5280 section 5) from a development CA, revoking chosen certificates.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import { writePem } from '../pki/pem.js';
import { authorityKeyIdentifier, extension } from './build-extensions.js';
import { devCryptoEngine } from './crypto-engine.js';
import { devTime, type DevAuthority, type DevIssued } from './issue-certificate.js';

/** A CRL of the development PKI. */
export interface DevCrl {
  /** The handle of the issuing CA (`root` or `intermediate`). */
  readonly issuerName: string;
  readonly der: Uint8Array;
  readonly pem: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /**
   * Serial numbers (lower-case hex, as in `Certificate.serialNumber`) of the revoked certificates.
   */
  readonly revokedSerialNumbers: readonly string[];
}

/** What to put in a CRL. */
export interface CrlRequest {
  readonly issuer: DevAuthority;
  readonly revoked: readonly DevIssued[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** When the revoked certificates were revoked. */
  readonly revocationDate: Date;
  /** RFC 5280 5.2.3 CRL number. */
  readonly crlNumber: number;
}

/**
 * Builds and signs a v2 CRL.
 * @throws SecurityError `DEVPKI_ISSUE_FAILED` when signing fails.
 */
export async function issueCrl(request: CrlRequest): Promise<DevCrl> {
  const crl = new pkijs.CertificateRevocationList();
  const thisUpdate = devTime(request.thisUpdate);
  const nextUpdate = devTime(request.nextUpdate);

  try {
    // RFC 5280 5.1.2.1: v2, because extensions are present.
    crl.version = 1;
    crl.issuer = request.issuer.name;
    crl.thisUpdate = thisUpdate;
    crl.nextUpdate = nextUpdate;
    if (request.revoked.length > 0) {
      crl.revokedCertificates = request.revoked.map(
        (item) =>
          new pkijs.RevokedCertificate({
            userCertificate: new asn1js.Integer({
              valueHex: Buffer.from(item.certificate.serialNumber, 'hex'),
            }),
            revocationDate: devTime(request.revocationDate),
          }),
      );
    }
    crl.crlExtensions = new pkijs.Extensions({
      extensions: [
        // RFC 5280 5.2.1 and 5.2.3: authority key identifier and CRL number.
        authorityKeyIdentifier(request.issuer.keyId),
        extension('2.5.29.20', false, new asn1js.Integer({ value: request.crlNumber })),
      ],
    });
    await crl.sign(request.issuer.keys.privateKey, 'SHA-256', devCryptoEngine());
  } catch (cause) {
    throw new SecurityError('DEVPKI_ISSUE_FAILED', 'A development CRL could not be signed.', {
      context: { issuer: request.issuer.issued.name },
      cause,
    });
  }

  const der = new Uint8Array(crl.toSchema(true).toBER(false));
  return {
    issuerName: request.issuer.issued.name,
    der,
    pem: writePem('X509 CRL', der),
    thisUpdate: thisUpdate.value,
    nextUpdate: nextUpdate.value,
    revokedSerialNumbers: request.revoked.map((item) => item.certificate.serialNumber),
  };
}
