// The part of the path validator that mutual TLS and JWS consume, and the principal lookup hook.

import type { Certificate } from '../pki/certificate.js';
import type { CertificateValidator } from '../pki/validate-path.js';

/**
 * What mutual TLS and JWS need from a certificate validator: `validate(chain, settings)` of
 * {@link CertificateValidator} (leaf first, then the certificates the peer sent; anchors, CRLs and
 * the cache of validated chains stay in the validator). It throws `PKI_*` errors.
 */
export type ChainValidator = Pick<CertificateValidator, 'validate'>;

/**
 * Maps a validated leaf certificate to a registered principal (organisation or person), or
 * `undefined` when none is registered. Never guesses from the subject name.
 */
export type PrincipalResolver<P> = (
  certificate: Certificate,
) => P | undefined | Promise<P | undefined>;
