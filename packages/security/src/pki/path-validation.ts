// Path validation to configured trust anchors: building, RFC 5280 6.1, revocation (the engine).

import { SecurityError } from '../errors.js';
import type { Certificate } from './certificate.js';
import type { Crl } from './crl.js';
import { candidatePaths, CertificatePool } from './build-paths.js';
import { checkPathRevocation, type RevocationRun } from './check-revocation.js';
import type { KeyUsageName } from './key-usage.js';
import { ANY_POLICY } from './oids.js';
import type { AlgorithmInputs } from './path-state.js';
import type { RevocationOptions } from './revocation.js';
import { runPathAlgorithm } from './run-path-algorithm.js';

/** Options of {@link validateCertificatePath} (RFC 5280 6.1.1 inputs and revocation). */
export interface PathValidationOptions {
  /** The trust anchors; a path must end at one of them. */
  trustAnchors: readonly Certificate[];
  /** Certificates that may serve as intermediates (and as CRL signers) when building paths. */
  intermediates?: readonly Certificate[];
  /** The validation time; default now. */
  time?: Date;
  /** CRLs to use, beside those in `revocation.crlCache`. */
  crls?: readonly Crl[];
  /** Revocation settings; the default mode is `require`. */
  revocation?: RevocationOptions;
  /** Extended key usage OIDs the leaf must allow, e.g. clientAuth `1.3.6.1.5.5.7.3.2`. */
  requiredExtendedKeyUsage?: readonly string[];
  /**
   * Key usages the leaf must allow when it has a keyUsage extension, by {@link KeyUsageName}
   * (e.g. `digitalSignature`); a name that is not a key usage is never satisfied.
   */
  requiredKeyUsage?: readonly (KeyUsageName | string)[];
  /** user-initial-policy-set; default `[anyPolicy]`. */
  initialPolicySet?: readonly string[];
  /** initial-explicit-policy; default false. */
  initialExplicitPolicy?: boolean;
  /** initial-policy-mapping-inhibit; default false. */
  initialPolicyMappingInhibit?: boolean;
  /** initial-any-policy-inhibit; default false. */
  initialAnyPolicyInhibit?: boolean;
  /** Accept SHA-1 signatures on certificates and CRLs; default false. */
  allowSha1Signatures?: boolean;
  /** Most certificates in a path, anchor included; default 10. */
  maxPathLength?: number;
  /** Aborts the validation (and any CRL fetch). */
  signal?: AbortSignal;
}

/** A validated certification path. */
export interface ValidatedPath {
  /** Leaf first, anchor last. */
  chain: Certificate[];
  leaf: Certificate;
  anchor: Certificate;
  /** The user-constrained policy set (RFC 5280 6.1.6); empty when no policy applies. */
  policies: string[];
  /** Until when this result holds: the earliest notAfter of the chain and nextUpdate used. */
  validUntil: Date;
}

/** How many CRL-signer paths may nest (the signer of a CRL of a CRL signer, ...). */
const MAX_SIGNER_NESTING = 3;

/**
 * Builds a path from `leaf` to one of the trust anchors and validates it per RFC 5280 6.1, with
 * revocation by CRL (and any configured checkers). Candidate paths are tried in turn; the first
 * that validates is returned.
 *
 * @param leaf The target certificate.
 * @param options Anchors, intermediates, time, CRLs, revocation mode, policy inputs, usages.
 * @returns The validated path with its user-constrained policy set.
 * @throws SecurityError `PKI_PATH_UNTRUSTED` (no path to an anchor), or the code of the failed
 *   step of the best candidate: `PKI_SIGNATURE_INVALID`, `PKI_ALGORITHM_UNSUPPORTED`,
 *   `PKI_CERT_EXPIRED`, `PKI_CERT_NOT_YET_VALID`, `PKI_NAME_CHAINING`, `PKI_BASIC_CONSTRAINTS`,
 *   `PKI_PATH_LENGTH`, `PKI_KEY_USAGE`, `PKI_EXTENDED_KEY_USAGE`, `PKI_POLICY`,
 *   `PKI_NAME_CONSTRAINTS`, `PKI_UNKNOWN_CRITICAL_EXTENSION`, `PKI_CERT_MALFORMED`,
 *   `PKI_CERT_REVOKED`, `PKI_REVOCATION_UNKNOWN`; `PKI_VALIDATION_ABORTED` on abort.
 * @example
 * ```ts
 * const path = await validateCertificatePath(leaf, {
 *   trustAnchors: [root],
 *   intermediates: [ca],
 *   crls: [caCrl],
 *   requiredExtendedKeyUsage: ['1.3.6.1.5.5.7.3.2'],
 * });
 * ```
 */
export function validateCertificatePath(
  leaf: Certificate,
  options: PathValidationOptions,
): Promise<ValidatedPath> {
  return validateNested(leaf, options, new Set());
}

async function validateNested(
  leaf: Certificate,
  options: PathValidationOptions,
  signers: ReadonlySet<string>,
): Promise<ValidatedPath> {
  const pool = new CertificatePool(options.trustAnchors, options.intermediates);
  const inputs = algorithmInputs(options);
  const requirements = {
    requiredKeyUsage: options.requiredKeyUsage,
    requiredExtendedKeyUsage: options.requiredExtendedKeyUsage,
  };
  const run = revocationRun(options, pool, inputs.time, (signer, anchor) =>
    validateSigner(signer, anchor, options, signers),
  );

  let best: SecurityError | undefined;
  const limits = { maxDepth: (options.maxPathLength ?? 10) - 1, maxCandidates: 64 };
  for (const { anchor, path } of candidatePaths(leaf, pool, limits)) {
    throwIfAborted(options.signal);
    try {
      const policies = runPathAlgorithm(anchor, path, inputs, requirements);
      const revocationUntil = await checkPathRevocation(anchor, path, run);
      return result(anchor, path, policies, revocationUntil);
    } catch (err) {
      if (!(err instanceof SecurityError) || err.code === 'PKI_VALIDATION_ABORTED') throw err;
      best = preferred(best, err);
    }
  }

  if (best) throw best;
  throw new SecurityError('PKI_PATH_UNTRUSTED', 'No certification path to a trust anchor.', {
    context: { fingerprint: leaf.fingerprintSha256, anchors: options.trustAnchors.length },
  });
}

/** RFC 5280 6.1.1 (b)-(g) from the options. */
function algorithmInputs(options: PathValidationOptions): AlgorithmInputs {
  return {
    time: options.time ?? new Date(),
    initialPolicySet: new Set(options.initialPolicySet ?? [ANY_POLICY]),
    initialExplicitPolicy: options.initialExplicitPolicy ?? false,
    initialPolicyMappingInhibit: options.initialPolicyMappingInhibit ?? false,
    initialAnyPolicyInhibit: options.initialAnyPolicyInhibit ?? false,
    allowSha1: options.allowSha1Signatures ?? false,
  };
}

function revocationRun(
  options: PathValidationOptions,
  pool: CertificatePool,
  time: Date,
  validateSignerPath: RevocationRun['validateSigner'],
): RevocationRun {
  const revocation = options.revocation ?? {};
  const fetch = revocation.fetchCrls === true ? {} : revocation.fetchCrls || undefined;
  return {
    mode: revocation.mode ?? 'require',
    time,
    signal: options.signal,
    crls: options.crls ?? [],
    cache: revocation.crlCache,
    fetch,
    checkers: revocation.checkers ?? [],
    pool,
    allowSha1: options.allowSha1Signatures,
    validateSigner: validateSignerPath,
  };
}

/** RFC 5280 6.3.3 (f): a separate CRL signer must validate to the same anchor, with cRLSign. */
async function validateSigner(
  signer: Certificate,
  anchor: Certificate,
  options: PathValidationOptions,
  signers: ReadonlySet<string>,
): Promise<boolean> {
  if (signers.has(signer.fingerprintSha256) || signers.size >= MAX_SIGNER_NESTING) return false;
  try {
    await validateNested(
      signer,
      {
        ...options,
        trustAnchors: [anchor],
        intermediates: [...options.trustAnchors, ...(options.intermediates ?? [])],
        requiredKeyUsage: ['cRLSign'] satisfies KeyUsageName[],
        requiredExtendedKeyUsage: undefined,
        initialPolicySet: undefined,
        initialExplicitPolicy: false,
        initialPolicyMappingInhibit: false,
        initialAnyPolicyInhibit: false,
      },
      new Set([...signers, signer.fingerprintSha256]),
    );
    return true;
  } catch (err) {
    if (err instanceof SecurityError && err.code !== 'PKI_VALIDATION_ABORTED') return false;
    throw err;
  }
}

function result(
  anchor: Certificate,
  path: readonly Certificate[],
  policies: string[],
  revocationUntil: Date | undefined,
): ValidatedPath {
  const chain = [...path].reverse().concat(anchor);
  let until = Math.min(...chain.map((c) => c.notAfter.getTime()));
  if (revocationUntil) until = Math.min(until, revocationUntil.getTime());
  return {
    chain,
    leaf: chain[0] as Certificate,
    anchor,
    policies,
    validUntil: new Date(until),
  };
}

/** Keeps the first refusal, unless it is a signature mismatch (likely a wrong candidate issuer). */
function preferred(current: SecurityError | undefined, next: SecurityError): SecurityError {
  if (!current) return next;
  if (current.code === 'PKI_SIGNATURE_INVALID' && next.code !== 'PKI_SIGNATURE_INVALID')
    return next;
  return current;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new SecurityError('PKI_VALIDATION_ABORTED', 'The validation was aborted.', {
      cause: signal.reason,
    });
  }
}
