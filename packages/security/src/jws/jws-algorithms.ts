// The JWS algorithms this package signs and accepts (RFC 7518 3.1), and the keys each one needs.

import { constants, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { SecurityError } from '../errors.js';

/** Every algorithm this package accepts; `none`, HMAC and everything else are refused. */
export const JWS_ALGORITHMS = ['ES256', 'PS256', 'RS256'] as const;

/** One accepted JWS algorithm. ES256 is the default. */
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

const MIN_RSA_BITS = 2048;

/**
 * Narrows a header's `alg` to an accepted algorithm.
 * @throws SecurityError `JWS_ALGORITHM_FORBIDDEN` for `none`, HS*, anything unknown or not in
 *   `allowed`.
 */
export function assertAlgorithm(
  alg: unknown,
  allowed: readonly JwsAlgorithm[] = JWS_ALGORITHMS,
): asserts alg is JwsAlgorithm {
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    throw new SecurityError('JWS_ALGORITHM_FORBIDDEN', 'The JWS algorithm is not allowed.', {
      context: { alg: typeof alg === 'string' ? alg.slice(0, 20) : typeof alg },
    });
  }
}

/**
 * Checks that a public or private key can be used with `alg`: ES256 needs an EC P-256 key
 * (RFC 7518 3.4), PS256 and RS256 an RSA key of at least 2048 bits (RFC 7518 3.3, 3.5).
 * @throws SecurityError `JWS_KEY_MISMATCH`.
 */
export function assertKeyFits(alg: JwsAlgorithm, key: KeyObject): void {
  const details = key.asymmetricKeyDetails;
  const fits =
    alg === 'ES256'
      ? key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
      : key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS;
  if (!fits) {
    throw new SecurityError('JWS_KEY_MISMATCH', 'The key does not fit the JWS algorithm.', {
      context: { alg, keyType: key.asymmetricKeyType },
    });
  }
}

/** node:crypto verify parameters of `alg` for a key that passed {@link assertKeyFits}. */
export function verifyKeyInput(alg: JwsAlgorithm, key: KeyObject): VerifyKeyObjectInput {
  switch (alg) {
    case 'ES256':
      // RFC 7518 3.4: the signature is R || S, 32 octets each, not DER.
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      // RFC 7518 3.5: MGF1 with SHA-256 and a salt as long as the hash.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    case 'RS256':
      return { key, padding: constants.RSA_PKCS1_PADDING };
  }
}
