// RFC 5280 6.1.3: basic certificate processing, steps (a) to (f), for certificate i of n.

import type { Certificate } from './certificate.js';
import { certificateExtensions } from './cert-extensions.js';
import type { GeneralNameView } from './general-names.js';
import { attributeString, comparableName, namesEqual, readRdnSets } from './name-match.js';
import { EMAIL_ADDRESS_ATTRIBUTE } from './oids.js';
import {
  isSelfIssued,
  positionOf,
  refusal,
  type AlgorithmInputs,
  type PathState,
} from './path-state.js';
import { verifySignature } from './verify-signature.js';

/**
 * RFC 5280 6.1.3 for certificate `i` (1 = issued by the trust anchor, n = the target).
 * Revocation, step (a)(3), is checked by the caller once the whole path has passed.
 *
 * @throws SecurityError `PKI_SIGNATURE_INVALID`, `PKI_ALGORITHM_UNSUPPORTED`, `PKI_CERT_EXPIRED`,
 *   `PKI_CERT_NOT_YET_VALID`, `PKI_NAME_CHAINING`, `PKI_NAME_CONSTRAINTS`, `PKI_POLICY`.
 */
export function processCertificate(
  state: PathState,
  cert: Certificate,
  i: number,
  inputs: AlgorithmInputs,
): void {
  const position = positionOf(i, state.n);
  const ext = certificateExtensions(cert.raw);

  // (a)(1): the signature verifies with working_public_key.
  if (!verifySignature(cert.raw, state.workingPublicKey, inputs)) {
    throw refusal(
      'PKI_SIGNATURE_INVALID',
      'A certificate signature does not verify.',
      cert,
      position,
    );
  }

  // (a)(2): the validity period includes the validation time.
  if (inputs.time < cert.notBefore) {
    throw refusal('PKI_CERT_NOT_YET_VALID', 'A certificate is not yet valid.', cert, position);
  }
  if (inputs.time > cert.notAfter) {
    throw refusal('PKI_CERT_EXPIRED', 'A certificate has expired.', cert, position);
  }

  // (a)(4): the issuer name is working_issuer_name.
  if (!namesEqual(comparableName(cert.raw.issuer), state.workingIssuerName)) {
    throw refusal('PKI_NAME_CHAINING', 'A certificate issuer does not chain.', cert, position);
  }

  // (b), (c): names within permitted_subtrees and outside excluded_subtrees, unless the
  // certificate is self-issued and not the target.
  if (i === state.n || !isSelfIssued(cert)) {
    for (const name of subjectNames(cert, ext.subjectAltNames ?? [])) {
      if (!state.nameConstraints.allows(name)) {
        throw refusal('PKI_NAME_CONSTRAINTS', 'A name violates name constraints.', cert, position, {
          nameForm: name.kind,
        });
      }
    }
  }

  // (d), (e): the valid_policy_tree.
  if (ext.policies && state.policyTree) {
    // (d)(2): anyPolicy is honoured while inhibit_anyPolicy > 0, or for a self-issued CA.
    const allowAny = state.inhibitAnyPolicy > 0 || (i < state.n && isSelfIssued(cert));
    if (!state.policyTree.addCertificatePolicies(i, ext.policies, allowAny)) {
      state.policyTree = undefined;
    }
  } else {
    // (e): no certificate policies extension: the tree becomes NULL.
    state.policyTree = undefined;
  }

  // (f): explicit_policy > 0 or a non-NULL tree.
  if (state.explicitPolicy <= 0 && !state.policyTree) {
    throw refusal('PKI_POLICY', 'No valid certificate policy for the path.', cert, position);
  }
}

/**
 * The names name constraints apply to: the subject DN (when not empty), the emailAddress
 * attributes of the subject DN as rfc822Names (RFC 5280 4.2.1.10), and the subjectAltNames.
 */
function subjectNames(cert: Certificate, altNames: readonly GeneralNameView[]): GeneralNameView[] {
  const names: GeneralNameView[] = [];
  const subject = comparableName(cert.raw.subject);
  if (subject.rdns.length > 0) names.push({ kind: 'directoryName', name: subject });

  const subjectDer = new Uint8Array(cert.raw.subject.toSchema().toBER(false));
  for (const attribute of readRdnSets(subjectDer).flat()) {
    if (attribute.oid !== EMAIL_ADDRESS_ATTRIBUTE) continue;
    const value = attributeString(attribute.value);
    if (value !== undefined) names.push({ kind: 'rfc822Name', value });
  }

  names.push(...altNames);
  return names;
}
