// Keyed hashing and authenticated encryption of subjects and payloads (HMAC-SHA-256, AES-256-GCM).

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { TrailSubject } from './types.js';

const SEALED_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs are drawn from a pool of random bytes, each used once: one RNG call per 4096 seals. */
const IV_POOL_BYTES = IV_BYTES * 4096;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * Normalises an identifier so that one person gives one HMAC however the identifier was typed:
 * scheme trimmed and lower-cased; id NFKC-normalised, spaces and hyphens removed, upper-cased;
 * a tax number's `SI` VAT prefix removed.
 */
export function normaliseSubject(subject: TrailSubject): TrailSubject {
  const scheme = subject.scheme.trim().toLowerCase();
  let id = subject.id
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  if (scheme === 'tax' && /^SI\d{8}$/.test(id)) id = id.slice(2);
  return { scheme, id };
}

/** HMAC-SHA-256 (hex) of a normalised subject, over UTF-8 `scheme ":" id`. */
export function subjectHmac(key: Uint8Array, subject: TrailSubject): string {
  const { scheme, id } = normaliseSubject(subject);
  return createHmac('sha256', key).update(`${scheme}:${id}`, 'utf8').digest('hex');
}

/**
 * Encrypts with AES-256-GCM under `key`, binding `aad`, with a random 96-bit IV (NIST SP 800-38D
 * 8.2.2). The result is
 * `version (1 byte) | iv (12) | tag (16) | ciphertext`.
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadBytes(aad));
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  const out = Buffer.allocUnsafe(1 + IV_BYTES + TAG_BYTES + body.length + rest.length);
  out[0] = SEALED_VERSION;
  iv.copy(out, 1);
  cipher.getAuthTag().copy(out, 1 + IV_BYTES);
  body.copy(out, 1 + IV_BYTES + TAG_BYTES);
  rest.copy(out, 1 + IV_BYTES + TAG_BYTES + body.length);
  return out;
}

const aadCache = new Map<string, Buffer>();

/** The UTF-8 bytes of an associated data string; the few distinct ones are kept. */
function aadBytes(aad: string): Buffer {
  let bytes = aadCache.get(aad);
  if (!bytes) {
    bytes = Buffer.from(aad, 'utf8');
    if (aadCache.size > 1000) aadCache.clear();
    aadCache.set(aad, bytes);
  }
  return bytes;
}

/** Decrypts what {@link seal} made; undefined when the bytes or the key do not authenticate. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer | undefined {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEALED_VERSION) return undefined;
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aadBytes(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/** The associated data that binds a ciphertext to its trail, data key and role. */
export function sealedAad(trail: string, dataKeyId: string, role: 'subject' | 'payload'): string {
  return `interop-trail/1|${trail}|${dataKeyId}|${role}`;
}

/** The associated data that binds a wrapped data key to its trail and id. */
export function wrapAad(trail: string, dataKeyId: string): string {
  return `interop-trail-key/1|${trail}|${dataKeyId}`;
}
