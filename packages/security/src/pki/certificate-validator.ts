// A long-lived validator: anchors, intermediates, CRLs and a cache of validated chains.

import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { parseCertificate, type Certificate } from './certificate.js';
import type { Crl } from './crl.js';
import { CrlCache } from './crl-cache.js';
import {
  validateCertificatePath,
  type PathValidationOptions,
  type ValidatedPath,
} from './path-validation.js';
import type { RevocationOptions } from './revocation.js';

/** Settings of a {@link CertificateValidator}. */
export interface CertificateValidatorOptions {
  trustAnchors: Certificate[];
  intermediates?: Certificate[];
  crls?: Crl[];
  /** Revocation settings; a CRL cache is created when none is given. Default mode `require`. */
  revocation?: RevocationOptions;
  /** Source of "now" (default time, cache expiry); default the system clock. */
  clock?: Clock;
  /** Cache of validated chains; `false` turns it off. */
  chainCache?: false | { maxEntries?: number; bucketMs?: number };
  allowSha1Signatures?: boolean;
  maxPathLength?: number;
}

/** Per-call settings of {@link CertificateValidator.validate}. */
export type ValidateOptions = Pick<
  PathValidationOptions,
  | 'time'
  | 'requiredExtendedKeyUsage'
  | 'requiredKeyUsage'
  | 'initialPolicySet'
  | 'initialExplicitPolicy'
  | 'initialPolicyMappingInhibit'
  | 'initialAnyPolicyInhibit'
  | 'signal'
>;

interface CachedPath {
  readonly path: ValidatedPath;
  readonly validFrom: number;
}

/**
 * Holds trust anchors, intermediates, CRLs and a CRL cache, and caches validated chains. A cached
 * result is keyed by the presented chain's fingerprints, a time bucket and the options, and is
 * never used past the earliest notAfter of the chain or nextUpdate of the revocation data used.
 *
 * @example
 * ```ts
 * const validator = new CertificateValidator({ trustAnchors: [root], crls: [rootCrl, caCrl] });
 * const path = await validator.validate([leaf, ca], {
 *   requiredExtendedKeyUsage: ['1.3.6.1.5.5.7.3.2'],
 * });
 * ```
 */
export class CertificateValidator {
  private readonly anchors: Certificate[];
  private readonly intermediates: Certificate[];
  private readonly crls: Crl[];
  private readonly revocation: RevocationOptions;
  private readonly clock: Clock;
  private readonly cache = new Map<string, CachedPath>();
  private readonly maxEntries: number;
  private readonly bucketMs: number;
  private readonly cacheOn: boolean;

  /**
   * @param options Anchors, intermediates, CRLs, revocation, clock and cache settings.
   * @throws SecurityError `PKI_PATH_UNTRUSTED` when no trust anchor is given.
   */
  constructor(private readonly options: CertificateValidatorOptions) {
    if (options.trustAnchors.length === 0) {
      throw new SecurityError('PKI_PATH_UNTRUSTED', 'A validator needs at least one trust anchor.');
    }
    this.anchors = [...options.trustAnchors];
    this.intermediates = [...(options.intermediates ?? [])];
    this.crls = [...(options.crls ?? [])];
    this.clock = options.clock ?? systemClock;
    this.revocation = {
      ...options.revocation,
      crlCache: options.revocation?.crlCache ?? new CrlCache({ clock: this.clock }),
    };
    this.cacheOn = options.chainCache !== false;
    this.maxEntries = (options.chainCache || {}).maxEntries ?? 1000;
    this.bucketMs = (options.chainCache || {}).bucketMs ?? 60_000;
  }

  /** The CRL cache (fetched CRLs land there). */
  get crlCache(): CrlCache {
    return this.revocation.crlCache as CrlCache;
  }

  /** Adds a CRL; cached chains are dropped since their revocation status may change. */
  addCrl(crl: Crl): void {
    this.crls.push(crl);
    this.cache.clear();
  }

  /** Adds intermediates to the pool used for path building. */
  addIntermediates(certs: readonly Certificate[]): void {
    this.intermediates.push(...certs);
  }

  /** Drops every cached validated chain. */
  clearCache(): void {
    this.cache.clear();
  }

  /**
   * Validates a presented chain: the first certificate is the leaf, the others (in any order) are
   * candidate intermediates beside the configured ones.
   *
   * @param leafAndChain Certificates, or their DER/PEM bytes.
   * @param options Time, required usages, policy inputs, abort signal.
   * @throws SecurityError `PKI_PATH_UNTRUSTED` for an empty chain, `PKI_CERT_MALFORMED` for
   *   unparsable bytes, and every code of {@link validateCertificatePath}.
   */
  async validate(
    leafAndChain: readonly Certificate[] | readonly Uint8Array[],
    options: ValidateOptions = {},
  ): Promise<ValidatedPath> {
    const chain = leafAndChain.map((c) => (c instanceof Uint8Array ? parseCertificate(c) : c));
    const [leaf, ...presented] = chain;
    if (!leaf) throw new SecurityError('PKI_PATH_UNTRUSTED', 'An empty chain was presented.');

    const time = options.time ?? new Date(this.clock.now());
    const key = this.cacheOn ? this.cacheKey(chain, time, options) : '';
    const hit = this.cacheOn ? this.lookup(key, time) : undefined;
    if (hit) return hit;

    const path = await validateCertificatePath(leaf, {
      ...options,
      time,
      trustAnchors: this.anchors,
      intermediates: [...presented, ...this.intermediates],
      crls: this.crls,
      revocation: this.revocation,
      allowSha1Signatures: this.options.allowSha1Signatures,
      maxPathLength: this.options.maxPathLength,
    });
    if (this.cacheOn) this.store(key, path);
    return path;
  }

  private cacheKey(chain: readonly Certificate[], time: Date, options: ValidateOptions): string {
    const settings = [
      [...(options.requiredExtendedKeyUsage ?? [])].sort(),
      [...(options.requiredKeyUsage ?? [])].sort(),
      options.initialPolicySet ? [...options.initialPolicySet].sort() : null,
      options.initialExplicitPolicy ?? false,
      options.initialPolicyMappingInhibit ?? false,
      options.initialAnyPolicyInhibit ?? false,
    ];
    const bucket = Math.floor(time.getTime() / this.bucketMs);
    const material = JSON.stringify([chain.map((c) => c.fingerprintSha256), bucket, settings]);
    return createHash('sha256').update(material).digest('hex');
  }

  private lookup(key: string, time: Date): ValidatedPath | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    const t = time.getTime();
    // Never past the earliest notAfter / nextUpdate, nor before the latest notBefore.
    if (t > entry.path.validUntil.getTime() || this.clock.now() > entry.path.validUntil.getTime()) {
      this.cache.delete(key);
      return undefined;
    }
    if (t < entry.validFrom) return undefined;
    this.cache.delete(key);
    this.cache.set(key, entry);
    return entry.path;
  }

  private store(key: string, path: ValidatedPath): void {
    // TODO(pki-chain-cache): also bound validFrom by the thisUpdate of the CRLs used; a time
    // before it falls in another bucket unless buckets are made longer than CRL intervals.
    const validFrom = Math.max(...path.chain.map((c) => c.notBefore.getTime()));
    this.cache.set(key, { path, validFrom });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
