// What the SOAP 1.1 binding needs: whom to trust for query signatures, and the owner's seal.

import type { KeyObject } from 'node:crypto';
import type {
  Certificate,
  Principal,
  PrincipalResolver,
  XmlSignerTrust,
} from '@interop-blocks/security';

/** Options of the SOAP 1.1 binding of {@link IoQueryService}. */
export interface SoapBindingOptions {
  /**
   * Trust of query signers: the `CertificateValidator` of the mutual TLS clients (trust anchors,
   * revocation), or any `XmlSignerTrust`. Signer certificates need `digitalSignature`.
   */
  trust: XmlSignerTrust;
  /** Maps the signer's certificate to its registered principal, as for JWS and mutual TLS. */
  resolvePrincipal: PrincipalResolver<Principal>;
  /** The owner's key that signs answers (the JWS signer's key, typically). */
  privateKey: KeyObject;
  /** The owner's certificate first, then its chain. */
  certificates: readonly Certificate[];
  /**
   * Where the owner's certificate travels in answers: `x509-data` (KeyInfo/X509Data with the
   * chain, so a consumer needs only the trust anchors; the default) or `binary-security-token`.
   */
  keyInfo?: 'binary-security-token' | 'x509-data';
  /** Tolerated clock difference with consumers, in ms. Default 60 000. */
  clockSkewMs?: number;
  /** Oldest accepted query Timestamp, in ms before now. Default 300 000. */
  maxAgeMs?: number;
  /** Lifetime of an answer's Timestamp, in seconds. Default 300. */
  answerTtlSeconds?: number;
}
