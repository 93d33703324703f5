// Parses KeyInfo certificates once per distinct DER; holds parsing results, never trust decisions.

import { parseCertificate, type Certificate } from '../pki/certificate.js';

const CAPACITY = 256;
const parsed = new Map<string, Certificate>();

/**
 * The parsed certificate for DER bytes from KeyInfo (least recently used of 256 dropped). Every
 * verification still asks the validator whether it is trusted at that time.
 *
 * @throws SecurityError `PKI_CERT_MALFORMED` (verification reports it as `XML_KEY_UNTRUSTED`).
 */
export function parseKeyInfoCertificate(der: Uint8Array): Certificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const hit = parsed.get(key);
  if (hit) {
    parsed.delete(key);
    parsed.set(key, hit);
    return hit;
  }

  const certificate = parseCertificate(der);
  parsed.set(key, certificate);
  if (parsed.size > CAPACITY) {
    const oldest = parsed.keys().next().value;
    if (oldest !== undefined) parsed.delete(oldest);
  }
  return certificate;
}
