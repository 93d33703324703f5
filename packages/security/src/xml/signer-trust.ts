// How verification obtains a trusted signer key: a validator or a resolver, never KeyInfo alone.

import type { KeyObject } from 'node:crypto';
import { SecurityError } from '../errors.js';
import type { ChainValidator } from '../internal/chain-validator.js';
import type { Certificate } from '../pki/certificate.js';
import type { KeyUsageName } from '../pki/key-usage.js';
import { parseKeyInfoCertificate } from './certificate-cache.js';

/** A signer whose certificate the caller's trust configuration accepted. */
export interface XmlSigner {
  /** The key that checks the SignatureValue. */
  readonly publicKey: KeyObject;
  /** The signer's certificate. */
  readonly certificate: Certificate;
  /** The validated chain, leaf first, when the trust source reports one. */
  readonly chain?: readonly Certificate[];
}

/** Context handed to an {@link XmlSignerResolver}. */
export interface XmlSignerContext {
  /** The time to validate at. */
  readonly time: Date;
  /** Key usages the signer certificate must have (passed to a validator). */
  readonly requiredKeyUsage?: KeyUsageName[];
  readonly signal?: AbortSignal;
}

/**
 * Decides whether the certificates found in KeyInfo (DER, signer's first) belong to a trusted
 * signer, and returns its key; throws (any error) to refuse.
 */
export type XmlSignerResolver = (
  certificatesDer: Uint8Array[],
  context: XmlSignerContext,
) => Promise<XmlSigner>;

/** Where verification gets a trusted key from: a path validator, or a resolver callback. */
export type XmlSignerTrust = XmlSignerResolver | ChainValidator;

/**
 * Runs the trust source on the KeyInfo certificates.
 * @throws SecurityError `XML_KEY_UNTRUSTED`, with the refusal as `cause` and its code in context.
 */
export async function resolveTrustedSigner(
  trust: XmlSignerTrust,
  certificatesDer: Uint8Array[],
  context: XmlSignerContext,
): Promise<XmlSigner> {
  try {
    if (typeof trust === 'function') return await trust(certificatesDer, context);
    const path = await trust.validate(certificatesDer.map(parseKeyInfoCertificate), {
      time: context.time,
      requiredKeyUsage: context.requiredKeyUsage,
      signal: context.signal,
    });
    return { publicKey: path.leaf.publicKey, certificate: path.leaf, chain: path.chain };
  } catch (cause) {
    context.signal?.throwIfAborted();
    const reason = (cause as { code?: unknown }).code;
    throw new SecurityError('XML_KEY_UNTRUSTED', 'The signer certificate is not trusted.', {
      context: { reason: typeof reason === 'string' ? reason : null },
      cause,
    });
  }
}
