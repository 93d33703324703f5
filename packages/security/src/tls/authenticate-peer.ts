// Decides who the TLS peer is: full path validation of its chain, then the principal lookup.

import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { SecurityError, type SecurityErrorCode } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { KeyUsageName } from '../pki/key-usage.js';
import type { ChainValidator, PrincipalResolver } from '../internal/chain-validator.js';
import {
  classifyPathFailure,
  pathFailureCode,
  type PathFailureKind,
} from '../internal/path-failure.js';
import { resolvePrincipalOf } from '../internal/resolve-principal.js';
import { PeerChainCache, readPeerChain, type PeerInput } from './peer-chain.js';

/** RFC 5280 4.2.1.12 id-kp-clientAuth. */
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** RFC 5280 4.2.1.12 id-kp-serverAuth. */
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** Options of {@link authenticatePeer}. */
export interface PeerAuthenticationOptions<P> {
  /** The validator holding trust anchors, intermediates and revocation sources. */
  validator: ChainValidator;
  /** Maps the validated leaf to a registered principal; `undefined` refuses the peer. */
  resolvePrincipal: PrincipalResolver<P>;
  /** The role the peer plays: `'client'` (default) needs clientAuth, `'server'` serverAuth. */
  role?: 'client' | 'server';
  /** Key usage bits the leaf must have; default `['digitalSignature']` (ECDHE handshakes). */
  requiredKeyUsage?: KeyUsageName[];
  /** Extended key usages the leaf must allow; default by role. */
  requiredExtendedKeyUsage?: string[];
  /** Validation time; default now. */
  time?: Date;
  /** Completes leaf-only chains of resumed sessions; without it only the validator's pool helps. */
  chainCache?: PeerChainCache;
  signal?: AbortSignal;
}

/** An authenticated peer: its principal, its leaf certificate and the validated chain. */
export interface AuthenticatedPeer<P> {
  readonly principal: P;
  readonly certificate: Certificate;
  /** Leaf first, trust anchor last. */
  readonly chain: readonly Certificate[];
}

const REFUSALS: Readonly<Record<PathFailureKind, SecurityErrorCode>> = {
  untrusted: 'TLS_CERT_UNTRUSTED',
  expired: 'TLS_CERT_EXPIRED',
  revoked: 'TLS_CERT_REVOKED',
  'revocation-unknown': 'TLS_REVOCATION_UNKNOWN',
  'key-usage': 'TLS_KEY_USAGE',
};

/**
 * Authenticates a TLS peer from the chain it presented: validates the chain to the configured
 * trust anchors (time, revocation, key usage digitalSignature, EKU clientAuth or serverAuth by
 * role) and maps the leaf to a registered principal. Node's `socket.authorized` is not consulted:
 * it is not a decision on revocation or principals, and it reads `true` on some resumed sessions.
 *
 * @param peer - the TLS socket, its detailed peer certificate, or the presented chain.
 * @param options - validator, principal lookup, role and time.
 * @returns the principal, the leaf certificate and the validated chain.
 * @throws SecurityError `TLS_NO_CERTIFICATE`, `TLS_CERT_UNTRUSTED` (unknown CA or failed path
 *   validation, including an unparsable certificate), `TLS_CERT_EXPIRED`, `TLS_CERT_REVOKED`,
 *   `TLS_REVOCATION_UNKNOWN`, `TLS_KEY_USAGE`, `TLS_PRINCIPAL_UNKNOWN`; the `PKI_*` error is kept
 *   as `cause` and its code as `context.pkiCode`.
 * @example
 * ```ts
 * const peer = await authenticatePeer(req.socket, {
 *   validator,
 *   resolvePrincipal: (cert) => directory.lookup(cert),
 * });
 * ```
 */
export async function authenticatePeer<P>(
  peer: PeerInput | Socket,
  options: PeerAuthenticationOptions<P>,
): Promise<AuthenticatedPeer<P>> {
  const presented = presentedChain(peer, options.chainCache ?? new PeerChainCache(16));
  const role = options.role ?? 'client';

  let validated;
  try {
    validated = await options.validator.validate([...presented], {
      time: options.time,
      requiredKeyUsage: options.requiredKeyUsage ?? ['digitalSignature'],
      requiredExtendedKeyUsage: options.requiredExtendedKeyUsage ?? [
        role === 'client' ? EKU_CLIENT_AUTH : EKU_SERVER_AUTH,
      ],
      signal: options.signal,
    });
  } catch (cause) {
    options.signal?.throwIfAborted();
    const code = REFUSALS[classifyPathFailure(cause)];
    throw new SecurityError(code, `The ${role} certificate chain is refused.`, {
      cause,
      context: { role, pkiCode: pathFailureCode(cause) },
    });
  }

  const principal = await resolvePrincipalOf(options.resolvePrincipal, validated.leaf);
  if (principal === undefined) {
    const message = `The ${role} certificate maps to no principal.`;
    throw new SecurityError('TLS_PRINCIPAL_UNKNOWN', message, { context: { role } });
  }

  return Object.freeze({ principal, certificate: validated.leaf, chain: validated.chain });
}

function presentedChain(peer: PeerInput | Socket, cache: PeerChainCache): readonly Certificate[] {
  if (peer instanceof Socket && !(peer instanceof TLSSocket)) {
    throw new SecurityError('TLS_NO_CERTIFICATE', 'The connection is not TLS.');
  }

  let chain: readonly Certificate[];
  try {
    chain = readPeerChain(peer as PeerInput, cache);
  } catch (cause) {
    throw new SecurityError('TLS_CERT_UNTRUSTED', 'A presented certificate cannot be parsed.', {
      cause,
      context: { pkiCode: pathFailureCode(cause) },
    });
  }
  if (chain.length === 0) {
    throw new SecurityError('TLS_NO_CERTIFICATE', 'The peer presented no certificate.');
  }
  return chain;
}
