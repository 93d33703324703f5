// Options shared by every XML-DSig verification entry point.

import type { Clock } from '@interop-blocks/core';
import type { KeyUsageName } from '../pki/key-usage.js';
import type { XmlParseOptions } from './parse-xml.js';
import type { XmlSignerTrust } from './signer-trust.js';

/** Policy and trust of an XML-DSig verification. */
export interface XmlVerifyOptions extends XmlParseOptions {
  /** Where the signer key comes from: a certificate validator or a resolver callback. */
  trust: XmlSignerTrust;
  /** Accept SHA-1 digests and signatures. Default false. */
  allowSha1?: boolean;
  /** Smallest accepted RSA modulus, in bits. Default 2048. */
  minRsaBits?: number;
  /** Key usages the signer certificate must have, for a validator (e.g. `digitalSignature`). */
  requiredKeyUsage?: KeyUsageName[];
  /** The clock for certificate validity (and timestamps). Default the system clock. */
  clock?: Clock;
  signal?: AbortSignal;
}

/** Default of {@link XmlVerifyOptions.minRsaBits}. */
export const DEFAULT_MIN_RSA_BITS = 2048;
