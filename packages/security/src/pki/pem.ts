// PEM armour: splits PEM text into labelled DER blocks (RFC 7468), and back.

import { SecurityError } from '../errors.js';

/** One PEM block: its label (`CERTIFICATE`, `X509 CRL`, ...) and its DER bytes. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Reads every PEM block of `text`, in order.
 * @throws SecurityError `PKI_PEM_MALFORMED` when there is no block or a block is not base64.
 */
export function readPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = (match[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) {
      throw new SecurityError('PKI_PEM_MALFORMED', 'A PEM block is not valid base64.', {
        context: { label: match[1] },
      });
    }
    blocks.push({ label: match[1] ?? '', der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  if (blocks.length === 0) {
    throw new SecurityError('PKI_PEM_MALFORMED', 'No PEM block found.');
  }
  return blocks;
}

/** Wraps DER bytes in a PEM block with 64-character lines. */
export function writePem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when `input` looks like PEM text rather than DER bytes. */
export function isPem(input: string | Uint8Array): boolean {
  if (typeof input === 'string') return true;
  const head = Buffer.from(input.subarray(0, 64)).toString('latin1');
  return head.includes('-----BEGIN ');
}
