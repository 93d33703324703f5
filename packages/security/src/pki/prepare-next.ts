// RFC 5280 6.1.4: preparation for certificate i+1, steps (a) to (o), for an intermediate CA.

import type { Certificate } from './certificate.js';
import { certificateExtensions } from './cert-extensions.js';
import { comparableName } from './name-match.js';
import { ANY_POLICY } from './oids.js';
import { isSelfIssued, positionOf, refusal, type PathState } from './path-state.js';

/**
 * RFC 5280 6.1.4 for certificate `i` < n.
 *
 * @throws SecurityError `PKI_POLICY`, `PKI_BASIC_CONSTRAINTS`, `PKI_PATH_LENGTH`, `PKI_KEY_USAGE`,
 *   `PKI_UNKNOWN_CRITICAL_EXTENSION`.
 */
export function prepareNext(state: PathState, cert: Certificate, i: number): void {
  const position = positionOf(i, state.n);
  const ext = certificateExtensions(cert.raw);
  const selfIssued = isSelfIssued(cert);

  // (a): anyPolicy may be neither an issuerDomainPolicy nor a subjectDomainPolicy.
  const mappings = ext.policyMappings ?? [];
  if (mappings.some((m) => m.issuer === ANY_POLICY || m.subject === ANY_POLICY)) {
    throw refusal('PKI_POLICY', 'A policy mapping names anyPolicy.', cert, position);
  }

  // (b): apply the mappings to the valid_policy_tree.
  if (mappings.length > 0 && state.policyTree) {
    const byIssuer = new Map<string, string[]>();
    for (const m of mappings)
      byIssuer.set(m.issuer, [...(byIssuer.get(m.issuer) ?? []), m.subject]);
    if (state.policyMapping > 0) {
      // (b)(1)
      state.policyTree.applyMappings(i, byIssuer);
    } else if (!state.policyTree.deleteMapped(i, byIssuer.keys())) {
      // (b)(2): deleting the mapped policies emptied the tree.
      state.policyTree = undefined;
    }
  }

  // (c), (d): working_issuer_name and working_public_key from this certificate.
  // (e), (f): parameters inherited from the issuer (DSA) are not supported; see README.
  state.workingIssuerName = comparableName(cert.raw.subject);
  state.workingPublicKey = cert.publicKey;

  // (g): name constraints.
  if (ext.nameConstraints) {
    state.nameConstraints.add(ext.nameConstraints.permitted, ext.nameConstraints.excluded);
  }

  // (h): count down, except for self-issued certificates.
  if (!selfIssued) {
    if (state.explicitPolicy !== 0) state.explicitPolicy--;
    if (state.policyMapping !== 0) state.policyMapping--;
    if (state.inhibitAnyPolicy !== 0) state.inhibitAnyPolicy--;
  }

  // (i): policy constraints.
  const pc = ext.policyConstraints;
  if (pc?.requireExplicitPolicy !== undefined) {
    state.explicitPolicy = Math.min(state.explicitPolicy, pc.requireExplicitPolicy);
  }
  if (pc?.inhibitPolicyMapping !== undefined) {
    state.policyMapping = Math.min(state.policyMapping, pc.inhibitPolicyMapping);
  }

  // (j): inhibitAnyPolicy.
  if (ext.inhibitAnyPolicy !== undefined) {
    state.inhibitAnyPolicy = Math.min(state.inhibitAnyPolicy, ext.inhibitAnyPolicy);
  }

  // (k): a version 3 certificate with basicConstraints cA TRUE.
  if (cert.raw.version !== 2 || !ext.basicConstraints?.ca) {
    throw refusal('PKI_BASIC_CONSTRAINTS', 'An issuing certificate is not a CA.', cert, position);
  }

  // (l): a non-self-issued certificate uses up one of max_path_length.
  if (!selfIssued) {
    if (state.maxPathLength <= 0) {
      throw refusal('PKI_PATH_LENGTH', 'The path exceeds a pathLenConstraint.', cert, position);
    }
    state.maxPathLength--;
  }

  // (m): pathLenConstraint.
  const pathLen = ext.basicConstraints.pathLen;
  if (pathLen !== undefined) state.maxPathLength = Math.min(state.maxPathLength, pathLen);

  // (n): keyUsage, when present, asserts keyCertSign.
  if (ext.keyUsage && !ext.keyUsage.has('keyCertSign')) {
    throw refusal('PKI_KEY_USAGE', 'An issuing certificate lacks keyCertSign.', cert, position);
  }

  // (o): every other critical extension must be processed.
  if (ext.unknownCritical.length > 0) {
    throw refusal(
      'PKI_UNKNOWN_CRITICAL_EXTENSION',
      'A certificate has an unprocessed critical extension.',
      cert,
      position,
      { extension: ext.unknownCritical[0] },
    );
  }
}
