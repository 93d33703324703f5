// A signer resolver that trusts exactly the certificates it is given (e.g. trusted-list signers).

import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { XmlSignerResolver } from './signer-trust.js';

/**
 * Trusts a signature only when its KeyInfo names one of `certificates` first, byte for byte, and
 * that certificate is within its validity period at the verification time. No path is built:
 * use it where the trusted signers are configured one by one (the signers of a trusted list).
 *
 * @param certificates - The accepted signer certificates.
 * @returns A resolver for `verifyXml` / `verifySoapEnvelope`.
 * @throws SecurityError (from the resolver) `PKI_PATH_UNTRUSTED` for another certificate,
 *   `PKI_CERT_EXPIRED` / `PKI_CERT_NOT_YET_VALID` outside the validity period; verification
 *   reports them as `XML_KEY_UNTRUSTED`.
 * @example
 * ```ts
 * const result = await verifyXml(list, { trust: trustPinnedCertificates([listSigner]) });
 * ```
 */
export function trustPinnedCertificates(certificates: readonly Certificate[]): XmlSignerResolver {
  const pinned = [...certificates];
  return (ders, { time }) => {
    const leaf = ders[0];
    const match = leaf && pinned.find((c) => Buffer.from(c.der).equals(Buffer.from(leaf)));
    if (!match) {
      return Promise.reject(
        new SecurityError(
          'PKI_PATH_UNTRUSTED',
          'The signer is not one of the pinned certificates.',
        ),
      );
    }
    const outside =
      time < match.notBefore
        ? 'PKI_CERT_NOT_YET_VALID'
        : time > match.notAfter
          ? 'PKI_CERT_EXPIRED'
          : null;
    if (outside) {
      return Promise.reject(
        new SecurityError(outside, 'The pinned certificate is not valid at this time.', {
          context: { fingerprint: match.fingerprintSha256 },
        }),
      );
    }
    return Promise.resolve({ publicKey: match.publicKey, certificate: match, chain: [match] });
  };
}
