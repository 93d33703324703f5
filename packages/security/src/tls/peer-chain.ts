// Reads the certificate chain a TLS peer presented, and remembers it across resumed sessions.

import { createHash, X509Certificate } from 'node:crypto';
import { TLSSocket, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import { parseCertificate, type Certificate } from '../pki/certificate.js';

/** One certificate as a caller may hold it. */
export type PeerCertificateInput = Certificate | X509Certificate | Uint8Array;

/**
 * What `authenticatePeer` accepts: a TLS socket, the detailed peer certificate of
 * `getPeerCertificate(true)`, an `X509Certificate` (its `issuerCertificate` links are followed),
 * or the chain itself, leaf first.
 */
export type PeerInput =
  TLSSocket | DetailedPeerCertificate | X509Certificate | readonly PeerCertificateInput[];

const DEFAULT_CAPACITY = 1024;

/**
 * A bounded cache of parsed certificates and of the chains peers presented, by leaf fingerprint.
 * A resumed TLS session carries only the leaf (Node gives no intermediates then), so the chain of
 * the full handshake is taken from here. Entries are parsing results, never trust decisions.
 */
export class PeerChainCache {
  readonly #capacity: number;
  readonly #parsed = new Map<string, Certificate>();
  readonly #chains = new Map<string, readonly Certificate[]>();

  /** @param capacity - entries kept in each map before the oldest is dropped; default 1024. */
  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /**
   * Parses DER bytes once per distinct certificate.
   * @throws SecurityError `PKI_CERT_MALFORMED` for bytes that are not a certificate.
   */
  parse(der: Uint8Array): Certificate {
    const key = createHash('sha256').update(der).digest('hex');
    const hit = this.#parsed.get(key);
    if (hit) return hit;
    const certificate = parseCertificate(der);
    remember(this.#parsed, key, certificate, this.#capacity);
    return certificate;
  }

  /** Completes a leaf-only chain from an earlier full handshake; stores longer chains. */
  complete(chain: readonly Certificate[]): readonly Certificate[] {
    const leaf = chain[0];
    if (!leaf) return chain;
    if (chain.length > 1) {
      remember(this.#chains, leaf.fingerprintSha256, chain, this.#capacity);
      return chain;
    }
    return this.#chains.get(leaf.fingerprintSha256) ?? chain;
  }
}

/**
 * The chain a peer presented, leaf first, parsed; empty when it presented none.
 * @throws SecurityError `PKI_CERT_MALFORMED` when a presented certificate cannot be parsed.
 */
export function readPeerChain(peer: PeerInput, cache: PeerChainCache): readonly Certificate[] {
  const ders = peerDers(peer);
  return cache.complete(ders.map((der) => (der instanceof Uint8Array ? cache.parse(der) : der)));
}

function peerDers(peer: PeerInput): (Uint8Array | Certificate)[] {
  if (peer instanceof TLSSocket) return detailedChain(peer.getPeerCertificate(true));
  if (peer instanceof X509Certificate) return x509Chain(peer);
  if (isReadonlyArray(peer)) {
    return peer.map((c) => (c instanceof X509Certificate ? new Uint8Array(c.raw) : c));
  }
  return detailedChain(peer);
}

// Node links the detailed certificates through issuerCertificate; a self-signed one links to
// itself. The walk stops there, or on any repeat.
function detailedChain(leaf: PeerCertificate | DetailedPeerCertificate): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<PeerCertificate>();
  let current: PeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current)) {
    seen.add(current);
    out.push(new Uint8Array(current.raw));
    current = (current as Partial<DetailedPeerCertificate>).issuerCertificate;
  }
  return out;
}

function x509Chain(leaf: X509Certificate): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let current: X509Certificate | undefined = leaf;
  while (current && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    out.push(new Uint8Array(current.raw));
    current = current.issuerCertificate;
  }
  return out;
}

function isReadonlyArray(value: unknown): value is readonly PeerCertificateInput[] {
  return Array.isArray(value);
}

function remember<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
