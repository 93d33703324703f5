// Checkpoint signatures: a signer over a node:crypto private key, and verification by certificate.

import {
  X509Certificate,
  constants,
  createPrivateKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { SecurityError } from '../errors.js';
import { readPem, writePem } from '../pki/pem.js';
import type { TrailSignatureAlgorithm, TrailSigner } from './types.js';

/** Options of {@link createKeySigner}. */
export interface KeySignerOptions {
  /** The organisation's private key (PKCS#8 PEM or a key object): EC P-256 or RSA. */
  privateKey: KeyObject | string;
  /** Its certificate chain, leaf first, as PEM. */
  certificateChainPem: string;
  /** For RSA keys: PKCS#1 v1.5 (default) or PSS. */
  rsaPadding?: 'pkcs1' | 'pss';
}

/**
 * A {@link TrailSigner} over a private key held in this process.
 *
 * @throws SecurityError `TRAIL_CONFIG_INVALID` for a key that is neither EC nor RSA.
 * @example
 * ```ts
 * const signer = createKeySigner({ privateKey: keyPem, certificateChainPem: chainPem });
 * ```
 */
export function createKeySigner(options: KeySignerOptions): TrailSigner {
  const key =
    typeof options.privateKey === 'string'
      ? createPrivateKey(options.privateKey)
      : options.privateKey;
  let algorithm: TrailSignatureAlgorithm;
  if (key.asymmetricKeyType === 'ec') algorithm = 'ecdsa-sha256';
  else if (key.asymmetricKeyType === 'rsa') {
    algorithm = options.rsaPadding === 'pss' ? 'rsa-pss-sha256' : 'rsa-pkcs1-sha256';
  } else if (key.asymmetricKeyType === 'rsa-pss') algorithm = 'rsa-pss-sha256';
  else {
    throw new SecurityError('TRAIL_CONFIG_INVALID', 'Checkpoint keys are EC or RSA keys.', {
      context: { keyType: key.asymmetricKeyType ?? null },
    });
  }
  return {
    algorithm,
    certificateChainPem: options.certificateChainPem,
    sign: async (bytes) => signWith(algorithm, key, bytes),
  };
}

function signWith(
  algorithm: TrailSignatureAlgorithm,
  key: KeyObject,
  bytes: Uint8Array,
): Uint8Array {
  if (algorithm === 'rsa-pss-sha256') {
    return cryptoSign('sha256', bytes, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  }
  return cryptoSign('sha256', bytes, { key, dsaEncoding: 'der' });
}

/**
 * True when `signature` over `bytes` verifies with the certificate's public key under
 * `algorithm` (ECDSA: DER signature; RSA-PSS: MGF1-SHA-256, 32-byte salt).
 */
export function verifySignature(
  algorithm: string,
  certificate: X509Certificate,
  bytes: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = certificate.publicKey;
  try {
    if (algorithm === 'ecdsa-sha256' && key.asymmetricKeyType === 'ec') {
      return cryptoVerify('sha256', bytes, { key, dsaEncoding: 'der' }, signature);
    }
    if (algorithm === 'rsa-pkcs1-sha256' && key.asymmetricKeyType === 'rsa') {
      return cryptoVerify(
        'sha256',
        bytes,
        { key, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
    }
    if (algorithm === 'rsa-pss-sha256' && key.asymmetricKeyType?.startsWith('rsa')) {
      const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      return cryptoVerify('sha256', bytes, options, signature);
    }
  } catch {
    return false;
  }
  return false;
}

/** A signer's chain as normalised PEM text and parsed certificates, leaf first. */
export interface SignerChain {
  pem: string;
  certificates: X509Certificate[];
  /** SHA-256 of the leaf certificate's DER, lower-case hex. */
  fingerprint: string;
}

/**
 * Parses the certificate chain of a signer (PEM text or DER list).
 * @throws SecurityError `TRAIL_CONFIG_INVALID` when there is no certificate or one is malformed.
 */
export function signerChain(source: {
  certificateChainPem?: string;
  certificates?: Uint8Array[];
}): SignerChain {
  let ders: Uint8Array[];
  try {
    ders = source.certificates?.length
      ? source.certificates
      : readPem(source.certificateChainPem ?? '')
          .filter((b) => b.label === 'CERTIFICATE')
          .map((b) => b.der);
  } catch (cause) {
    throw new SecurityError('TRAIL_CONFIG_INVALID', 'The signer certificate chain is malformed.', {
      cause,
    });
  }
  if (ders.length === 0) {
    throw new SecurityError('TRAIL_CONFIG_INVALID', 'The signer has no certificate.');
  }
  let certificates: X509Certificate[];
  try {
    certificates = ders.map((der) => new X509Certificate(der));
  } catch (cause) {
    throw new SecurityError('TRAIL_CONFIG_INVALID', 'A signer certificate is malformed.', {
      cause,
    });
  }
  const leaf = certificates[0] as X509Certificate;
  return {
    pem: ders.map((der) => writePem('CERTIFICATE', der)).join(''),
    certificates,
    fingerprint: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}
