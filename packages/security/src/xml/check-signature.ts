// XML-DSig core validation (XML-DSig 1.1 section 3.2) over references the caller has resolved.

import { timingSafeEqual } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { canonicalize } from './canonicalize.js';
import { isInside } from './dom-helpers.js';
import { keyInfoCertificates } from './key-info.js';
import type { ReadSignature } from './read-signature.js';
import { resolveTrustedSigner, type XmlSigner, type XmlSignerContext } from './signer-trust.js';
import type { XmlSignerTrust } from './signer-trust.js';
import type { DocumentIndex } from './walk-document.js';
import { assertKeyFits, digestBytes, verifyBytes } from './xml-algorithms.js';

/**
 * Resolves each Reference URI to one element: `""` is the document element, `#id` the one element
 * with that id (the index already refused duplicates). XPointer and external URIs are refused,
 * as are references into the Signature itself (but for `inside`, the caller's one element there
 * that may be signed: XAdES SignedProperties) and two references to one element.
 *
 * @throws SecurityError `XML_REFERENCE_UNRESOLVED`, `XML_REFERENCE_UNEXPECTED`.
 */
export function resolveReferences(
  read: ReadSignature,
  index: DocumentIndex,
  document: Document,
  inside?: Element,
): Element[] {
  const seen = new Set<Element>();
  return read.references.map(({ uri }) => {
    // XML-DSig 1.1 section 4.4.3.3: same-document references; only the bare-name form.
    const element =
      uri === ''
        ? document.documentElement
        : uri.startsWith('#')
          ? index.ids.get(uri.slice(1))
          : null;
    if (!element) {
      throw new SecurityError('XML_REFERENCE_UNRESOLVED', 'A Reference URI resolves to nothing.', {
        context: { form: uri === '' ? 'empty' : uri.startsWith('#') ? 'id' : 'other' },
      });
    }
    const intoSignature = element === read.signature || isInside(element, read.signature);
    if ((intoSignature && element !== inside) || seen.has(element)) {
      throw new SecurityError(
        'XML_REFERENCE_UNEXPECTED',
        'A Reference points at the wrong thing.',
        {
          context: { element: element.localName },
        },
      );
    }
    seen.add(element);
    return element;
  });
}

/**
 * Section 3.2.1, reference validation: canonicalise each element and compare digests.
 * @throws SecurityError `XML_DIGEST_MISMATCH`.
 */
export function checkDigests(read: ReadSignature, elements: readonly Element[]): void {
  read.references.forEach((reference, i) => {
    const element = elements[i];
    if (!element) throw new SecurityError('XML_REFERENCE_UNRESOLVED', 'A Reference is unresolved.');
    const canonical = canonicalize(element, {
      method: reference.c14n,
      inclusivePrefixes: reference.inclusivePrefixes,
      envelopedSignature: reference.enveloped ? read.signature : undefined,
    });
    const actual = digestBytes(reference.digest, canonical);
    const expected = reference.digestValue;
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new SecurityError('XML_DIGEST_MISMATCH', 'A signed element was changed.', {
        context: { element: element.localName, line: element.lineNumber },
      });
    }
  });
}

/**
 * Section 3.2.2, signature validation, with a key from the caller's trust source only.
 * @throws SecurityError `XML_KEY_INFO_UNSUPPORTED`, `XML_KEY_UNTRUSTED`, `XML_KEY_TYPE_MISMATCH`,
 *   `XML_SIGNATURE_INVALID`.
 */
export async function checkSignatureValue(
  read: ReadSignature,
  index: DocumentIndex,
  trust: XmlSignerTrust,
  context: XmlSignerContext & { minRsaBits: number },
): Promise<XmlSigner> {
  const certificates = keyInfoCertificates(read.keyInfo, index);
  const signer = await resolveTrustedSigner(trust, certificates, context);
  assertKeyFits(signer.publicKey, read.algorithm, context.minRsaBits);

  const signedInfo = canonicalize(read.signedInfo, {
    method: read.signedInfoC14n,
    inclusivePrefixes: read.signedInfoPrefixes,
  });
  if (!verifyBytes(read.algorithm, signer.publicKey, signedInfo, read.signatureValue)) {
    throw new SecurityError('XML_SIGNATURE_INVALID', 'The SignatureValue does not verify.', {
      context: { algorithm: read.algorithm.uri, signer: signer.certificate.fingerprintSha256 },
    });
  }
  return signer;
}
