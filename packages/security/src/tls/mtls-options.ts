// Node https/tls server options and undici client options for mutual TLS, TLS 1.2 and later.

import { KeyObject } from 'node:crypto';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { writePem } from '../pki/pem.js';

/**
 * Cipher suites: TLS 1.3 suites first, then TLS 1.2 ECDHE suites with AEAD only, so that every
 * connection has forward secrecy and no CBC, RC4, 3DES or static RSA key exchange is offered.
 */
export const MTLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/** A private key as PEM text, PEM/DER bytes accepted by Node, or a key object. */
export type TlsPrivateKey = string | Buffer | KeyObject;

/** Own identity and trust of one side of a mutual TLS connection. */
export interface MtlsIdentityOptions {
  /** Own private key. */
  key: TlsPrivateKey;
  /** Own certificate chain: PEM text (leaf first) or parsed certificates, leaf first. */
  certificateChain: string | readonly Certificate[];
  /** Trust anchors the peer chain must lead to; Node receives them as its `ca` bundle. */
  trustAnchors: readonly Certificate[];
}

/** Options of {@link mtlsServerOptions}. */
export interface MtlsServerOptions extends MtlsIdentityOptions {
  /**
   * Where a peer that Node itself can judge as bad (no certificate, unknown CA, expired, wrong
   * purpose) is refused. `'handshake'` (default): Node aborts the TLS handshake, the request never
   * reaches the application and the client sees a socket error; everything Node does not check
   * (revocation, policies, principal) is still refused by `authenticatePeer`. `'application'`:
   * every handshake completes and `authenticatePeer` alone decides, so that the client gets a
   * coded 401/403 answer it can act on.
   */
  refuseAt?: 'handshake' | 'application';
}

/**
 * Options for `https.createServer`, `tls.createServer` (and Fastify's `https`) that ask every
 * client for a certificate, allow TLS 1.2 and 1.3 only (1.3 preferred) and trust only the
 * configured anchors. Node's own check is a first filter; the authoritative decision is
 * `authenticatePeer` (or `mtlsGuard`) on each request.
 *
 * @param options - key, certificate chain, trust anchors, and where refusals happen.
 * @returns TLS server options; spread them and add your own where needed.
 * @throws SecurityError `TLS_OPTIONS_INVALID` when there are no trust anchors or no certificate.
 * @example
 * ```ts
 * const server = https.createServer(
 *   mtlsServerOptions({ key, certificateChain: serverChainPem, trustAnchors: [root] }),
 *   handler,
 * );
 * ```
 */
export function mtlsServerOptions(options: MtlsServerOptions): TlsOptions {
  const identity = identityOptions(options);
  return {
    ...identity,
    requestCert: true,
    rejectUnauthorized: (options.refuseAt ?? 'handshake') === 'handshake',
    honorCipherOrder: true,
  };
}

/**
 * Options for undici's `new Agent({ connect })` (or `tls.connect`): own certificate and key, the
 * configured trust anchors as the only CAs, TLS 1.2 and 1.3 only. Host name checking
 * (`checkServerIdentity`) stays Node's default and is never switched off.
 *
 * @param options - key, certificate chain and trust anchors.
 * @throws SecurityError `TLS_OPTIONS_INVALID` when there are no trust anchors or no certificate.
 * @example
 * ```ts
 * const agent = new Agent({ connect: mtlsClientOptions({ key, certificateChain, trustAnchors }) });
 * ```
 */
export function mtlsClientOptions(options: MtlsIdentityOptions): ConnectionOptions {
  return { ...identityOptions(options), rejectUnauthorized: true };
}

function identityOptions(options: MtlsIdentityOptions) {
  if (options.trustAnchors.length === 0) {
    throw new SecurityError('TLS_OPTIONS_INVALID', 'Mutual TLS needs at least one trust anchor.');
  }
  const cert =
    typeof options.certificateChain === 'string'
      ? options.certificateChain
      : options.certificateChain.map((c) => writePem('CERTIFICATE', c.der)).join('');
  if (cert.length === 0) {
    throw new SecurityError('TLS_OPTIONS_INVALID', 'Mutual TLS needs an own certificate chain.');
  }

  return {
    key: keyForNode(options.key),
    cert,
    ca: options.trustAnchors.map((c) => writePem('CERTIFICATE', c.der)),
    minVersion: 'TLSv1.2' as const,
    maxVersion: 'TLSv1.3' as const,
    ciphers: MTLS_CIPHERS,
  };
}

function keyForNode(key: TlsPrivateKey): string | Buffer {
  if (!(key instanceof KeyObject)) return key;
  if (key.type !== 'private') {
    throw new SecurityError('TLS_OPTIONS_INVALID', 'The own key must be a private key.');
  }
  return key.export({ format: 'pem', type: 'pkcs8' });
}
