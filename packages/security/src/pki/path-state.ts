// RFC 5280 6.1.1 inputs and 6.1.2 initialisation of the path validation state variables.

import type { KeyObject } from 'node:crypto';
import type { ErrorContext } from '@interop-blocks/core';
import { SecurityError, type SecurityErrorCode } from '../errors.js';
import type { Certificate } from './certificate.js';
import { comparableName, namesEqual, type ComparableName } from './name-match.js';
import { NameConstraintsState } from './name-constraints.js';
import { PolicyTree } from './policy-tree.js';
import { ANY_POLICY } from './oids.js';
import type { SignatureOptions } from './verify-signature.js';

/** RFC 5280 6.1.1: the inputs of the algorithm besides the path itself. */
export interface AlgorithmInputs extends SignatureOptions {
  /** (b) the time for which validity is determined. */
  readonly time: Date;
  /** (c) user-initial-policy-set; default {anyPolicy}. */
  readonly initialPolicySet: ReadonlySet<string>;
  /** (e) initial-policy-mapping-inhibit. */
  readonly initialPolicyMappingInhibit: boolean;
  /** (f) initial-explicit-policy. */
  readonly initialExplicitPolicy: boolean;
  /** (g) initial-any-policy-inhibit. */
  readonly initialAnyPolicyInhibit: boolean;
}

/** RFC 5280 6.1.2: the state variables carried from certificate to certificate. */
export interface PathState {
  /** Number of certificates in the path (the trust anchor excluded). */
  readonly n: number;
  /** (a) valid_policy_tree; undefined is NULL. */
  policyTree: PolicyTree | undefined;
  /** (b), (c) permitted_subtrees and excluded_subtrees. */
  readonly nameConstraints: NameConstraintsState;
  /** (d) explicit_policy. */
  explicitPolicy: number;
  /** (e) inhibit_anyPolicy. */
  inhibitAnyPolicy: number;
  /** (f) policy_mapping. */
  policyMapping: number;
  /** (g), (h), (i) working_public_key (with its algorithm and parameters). */
  workingPublicKey: KeyObject;
  /** (j) working_issuer_name. */
  workingIssuerName: ComparableName;
  /** (k) max_path_length. */
  maxPathLength: number;
}

/** RFC 5280 6.1.2: initialises the state from the trust anchor and the inputs. */
export function initialState(anchor: Certificate, n: number, inputs: AlgorithmInputs): PathState {
  return {
    n,
    policyTree: new PolicyTree(),
    nameConstraints: new NameConstraintsState(),
    explicitPolicy: inputs.initialExplicitPolicy ? 0 : n + 1,
    inhibitAnyPolicy: inputs.initialAnyPolicyInhibit ? 0 : n + 1,
    policyMapping: inputs.initialPolicyMappingInhibit ? 0 : n + 1,
    workingPublicKey: anchor.publicKey,
    workingIssuerName: comparableName(anchor.raw.subject),
    maxPathLength: n,
  };
}

/** The default user-initial-policy-set: {anyPolicy}. */
export const ANY_POLICY_SET: ReadonlySet<string> = new Set([ANY_POLICY]);

/** True when a certificate is self-issued: subject and issuer names equal (RFC 5280 6.1). */
export function isSelfIssued(cert: Certificate): boolean {
  return namesEqual(comparableName(cert.raw.subject), comparableName(cert.raw.issuer));
}

/** Position of certificate `i` (1 = next to the anchor) counted from the leaf (0). */
export function positionOf(i: number, n: number): number {
  return n - i;
}

/** A coded refusal naming the certificate by its position (0 = leaf) and fingerprint. */
export function refusal(
  code: SecurityErrorCode,
  message: string,
  cert: Certificate,
  position: number,
  extra: ErrorContext = {},
): SecurityError {
  return new SecurityError(code, message, {
    context: { position, fingerprint: cert.fingerprintSha256, ...extra },
  });
}
