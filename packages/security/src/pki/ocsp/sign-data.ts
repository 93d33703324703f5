// Signs bytes for the OCSP responder and checks signatures for the client, via node:crypto.

import { sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../../errors.js';
import { verifySignature } from '../verify-signature.js';

/** Outcome of {@link checkSignature}. */
export type SignatureVerdict = 'valid' | 'invalid' | 'unsupported-algorithm';

/**
 * Verifies `signature` over `data` with `publicKey`; unsupported or refused algorithms (SHA-1
 * unless allowed) are a verdict, not an exception.
 */
export function checkSignature(
  algorithm: pkijs.AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
  options: { allowSha1?: boolean } = {},
): SignatureVerdict {
  const signed = {
    tbsView: data,
    signatureAlgorithm: algorithm,
    signatureValue: { valueBlock: { valueHexView: signature } },
  };
  try {
    return verifySignature(signed, publicKey, { allowSha1: options.allowSha1 === true })
      ? 'valid'
      : 'invalid';
  } catch (cause) {
    if (cause instanceof SecurityError && cause.code === 'PKI_ALGORITHM_UNSUPPORTED') {
      return 'unsupported-algorithm';
    }
    throw cause;
  }
}

/**
 * Signs `data` with `privateKey`, choosing the usual algorithm for the key: ECDSA with the hash
 * that matches the curve, RSA PKCS#1 v1.5 with SHA-256, or Ed25519.
 *
 * @throws SecurityError `PKI_OCSP_RESPONDER_CONFIG` when the key type has no supported algorithm.
 */
export function signData(
  privateKey: KeyObject,
  data: Uint8Array,
): { algorithm: pkijs.AlgorithmIdentifier; signature: Uint8Array } {
  const { algorithmId, hash, params } = algorithmForKey(privateKey);
  const algorithm = new pkijs.AlgorithmIdentifier({
    algorithmId,
    ...(params ? { algorithmParams: params } : {}),
  });
  return { algorithm, signature: new Uint8Array(sign(hash, data, privateKey)) };
}

function algorithmForKey(key: KeyObject): {
  algorithmId: string;
  hash: string | null;
  params?: asn1js.Null;
} {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      // RFC 5758 3.2: ecdsa-with-SHA256/384/512, parameters absent.
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { algorithmId: '1.2.840.10045.4.3.3', hash: 'sha384' };
      if (curve === 'secp521r1') return { algorithmId: '1.2.840.10045.4.3.4', hash: 'sha512' };
      return { algorithmId: '1.2.840.10045.4.3.2', hash: 'sha256' };
    }
    case 'rsa':
      // RFC 4055 5: sha256WithRSAEncryption, parameters NULL.
      return { algorithmId: '1.2.840.113549.1.1.11', hash: 'sha256', params: new asn1js.Null() };
    case 'ed25519':
      return { algorithmId: '1.3.101.112', hash: null };
    default:
      throw new SecurityError('PKI_OCSP_RESPONDER_CONFIG', 'The responder key type cannot sign.', {
        context: { keyType: String(key.asymmetricKeyType) },
      });
  }
}
