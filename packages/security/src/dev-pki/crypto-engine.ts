// The WebCrypto engine (node:crypto) the development PKI signs with, and its key pairs.

import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { writePem } from '../pki/pem.js';

/** The key algorithms of the development PKI. */
export type DevKeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

/** A generated key pair in both forms: WebCrypto for pkijs, Node key objects for callers. */
export interface DevKeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  /** PKCS#8 PEM of the private key. */
  readonly keyPem: string;
  readonly key: KeyObject;
}

let engine: pkijs.CryptoEngine | undefined;

/** One pkijs engine over node:crypto's WebCrypto, passed explicitly (never set globally). */
export function devCryptoEngine(): pkijs.CryptoEngine {
  // node:crypto's webcrypto implements the Web Crypto API that pkijs types as the DOM `Crypto`.
  const crypto = webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'];
  engine ??= new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto });
  return engine;
}

/** Generates an ECDSA P-256 or RSA 2048 (PKCS#1 v1.5, SHA-256) key pair. */
export async function generateDevKeyPair(algorithm: DevKeyAlgorithm): Promise<DevKeyPair> {
  const params =
    algorithm === 'rsa-2048'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  const pair = (await webcrypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;

  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    keyPem: writePem('PRIVATE KEY', pkcs8),
    key,
  };
}
