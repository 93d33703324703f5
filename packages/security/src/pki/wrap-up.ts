// RFC 5280 6.1.5: wrap-up procedure for the target certificate, and the leaf's usage checks.

import type { Certificate } from './certificate.js';
import { certificateExtensions } from './cert-extensions.js';
import type { KeyUsageName } from './key-usage.js';
import { ANY_EXTENDED_KEY_USAGE, ANY_POLICY } from './oids.js';
import { refusal, type AlgorithmInputs, type PathState } from './path-state.js';

/** What the leaf must be good for, beyond RFC 5280 6.1 (the caller's purpose). */
export interface LeafRequirements {
  readonly requiredKeyUsage?: readonly (KeyUsageName | string)[];
  readonly requiredExtendedKeyUsage?: readonly string[];
}

/**
 * RFC 5280 6.1.5 for the target certificate n; returns the user-constrained policy set (the
 * valid_policy values of the final tree's leaves, empty when the tree is NULL).
 *
 * @throws SecurityError `PKI_UNKNOWN_CRITICAL_EXTENSION`, `PKI_POLICY`, `PKI_KEY_USAGE`,
 *   `PKI_EXTENDED_KEY_USAGE`.
 */
export function wrapUp(
  state: PathState,
  leaf: Certificate,
  inputs: AlgorithmInputs,
  requirements: LeafRequirements,
): string[] {
  const ext = certificateExtensions(leaf.raw);
  const n = state.n;

  // (a): count explicit_policy down.
  if (state.explicitPolicy !== 0) state.explicitPolicy--;

  // (b): requireExplicitPolicy of 0 in the target.
  if (ext.policyConstraints?.requireExplicitPolicy === 0) state.explicitPolicy = 0;

  // (c)-(e): working_public_key of the target; it is `leaf.publicKey`.

  // (f): every other critical extension must be processed.
  if (ext.unknownCritical.length > 0) {
    throw refusal(
      'PKI_UNKNOWN_CRITICAL_EXTENSION',
      'The certificate has an unprocessed critical extension.',
      leaf,
      0,
      { extension: ext.unknownCritical[0] },
    );
  }

  // (g): the intersection of the valid_policy_tree and the user-initial-policy-set.
  const initial = inputs.initialPolicySet;
  if (state.policyTree && !initial.has(ANY_POLICY)) {
    // (g)(iii)
    if (!state.policyTree.intersect(n, initial)) state.policyTree = undefined;
  }
  // (g)(i), (ii): a NULL tree stays NULL; with anyPolicy the tree stays as it is.

  // Outcome: explicit_policy > 0 or a non-NULL tree.
  if (state.explicitPolicy <= 0 && !state.policyTree) {
    throw refusal('PKI_POLICY', 'No acceptable certificate policy for the path.', leaf, 0);
  }

  checkLeafUsage(leaf, requirements);
  return state.policyTree ? state.policyTree.policiesAt(n) : [];
}

/** The caller's required key usages and purposes against the leaf (RFC 5280 4.2.1.3, 4.2.1.12). */
function checkLeafUsage(leaf: Certificate, requirements: LeafRequirements): void {
  const ext = certificateExtensions(leaf.raw);
  for (const usage of requirements.requiredKeyUsage ?? []) {
    if (ext.keyUsage && !ext.keyUsage.has(usage as KeyUsageName)) {
      throw refusal('PKI_KEY_USAGE', 'The certificate is not for this key usage.', leaf, 0, {
        required: usage,
      });
    }
  }

  const eku = ext.extKeyUsage;
  if (!eku || eku.includes(ANY_EXTENDED_KEY_USAGE)) return;
  for (const purpose of requirements.requiredExtendedKeyUsage ?? []) {
    if (!eku.includes(purpose)) {
      throw refusal('PKI_EXTENDED_KEY_USAGE', 'The certificate is not for this purpose.', leaf, 0, {
        required: purpose,
      });
    }
  }
}
