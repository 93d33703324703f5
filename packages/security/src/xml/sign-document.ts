// Builds and inserts an XML-DSig Signature over elements of a parsed document.

import type { KeyObject } from 'node:crypto';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { XMLSerializer } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { canonicalize } from './canonicalize.js';
import { isInside } from './dom-helpers.js';
import {
  assertKeyFits,
  defaultSignatureAlgorithm,
  digestAlgorithm,
  digestBytes,
  SHA256_DIGEST,
  signatureAlgorithm,
  signBytes,
} from './xml-algorithms.js';
import { DSIG_NS, ENVELOPED_SIGNATURE, EXC_C14N, XMLNS_NS } from './xml-namespaces.js';

/** One element to sign and the URI that names it (`''` for the whole document, or `#id`). */
export interface SignTarget {
  readonly element: Element;
  readonly uri: string;
}

/** Where and how to sign. */
export interface SignDocumentOptions {
  privateKey: KeyObject;
  /** Signature method URI; default from the key (rsa-sha256, ecdsa-sha256 on P-256, ...). */
  signatureAlgorithm?: string;
  targets: readonly SignTarget[];
  /** The element the Signature is appended to (before `before` when given). */
  parent: Element;
  before?: Node | null;
  /** Builds the KeyInfo content (children of ds:KeyInfo). */
  keyInfo: (document: Document) => Element[];
}

/** Smallest RSA key this package signs with. */
const MIN_SIGNING_RSA_BITS = 2048;

/**
 * Signs `targets` with exclusive c14n and SHA-256 (XML-DSig 1.1 section 3.1, core generation) and
 * inserts the Signature. A target that will contain the Signature gets the enveloped-signature
 * transform.
 *
 * @throws SecurityError `XML_KEY_TYPE_MISMATCH`, `XML_ALGORITHM_FORBIDDEN`.
 */
export function signDocument(document: Document, options: SignDocumentOptions): Element {
  const algorithm = options.signatureAlgorithm
    ? signatureAlgorithm(options.signatureAlgorithm, false)
    : defaultSignatureAlgorithm(options.privateKey);
  assertKeyFits(options.privateKey, algorithm, MIN_SIGNING_RSA_BITS);
  const digest = digestAlgorithm(SHA256_DIGEST, false);
  const ds = (name: string): Element => document.createElementNS(DSIG_NS, `ds:${name}`);
  const withAlgorithm = (name: string, uri: string): Element => {
    const element = ds(name);
    element.setAttribute('Algorithm', uri);
    return element;
  };

  // Section 3.1.1, reference generation: digests are taken before the Signature is inserted,
  // which is what the enveloped-signature transform gives back to the verifier.
  const signedInfo = ds('SignedInfo');
  signedInfo.appendChild(withAlgorithm('CanonicalizationMethod', EXC_C14N));
  signedInfo.appendChild(withAlgorithm('SignatureMethod', algorithm.uri));
  for (const target of options.targets) {
    const enveloped = target.element === options.parent || isInside(options.parent, target.element);
    const reference = ds('Reference');
    reference.setAttribute('URI', target.uri);
    const transforms = ds('Transforms');
    if (enveloped) transforms.appendChild(withAlgorithm('Transform', ENVELOPED_SIGNATURE));
    transforms.appendChild(withAlgorithm('Transform', EXC_C14N));
    reference.appendChild(transforms);
    reference.appendChild(withAlgorithm('DigestMethod', digest.uri));
    const value = ds('DigestValue');
    value.appendChild(
      document.createTextNode(digestBytes(digest, canonicalize(target.element)).toString('base64')),
    );
    reference.appendChild(value);
    signedInfo.appendChild(reference);
  }

  const signature = ds('Signature');
  signature.setAttributeNS(XMLNS_NS, 'xmlns:ds', DSIG_NS);
  signature.appendChild(signedInfo);
  options.parent.insertBefore(signature, options.before ?? null);

  // Section 3.1.2, signature generation over the canonical SignedInfo in its final place.
  const value = ds('SignatureValue');
  const octets = signBytes(algorithm, options.privateKey, canonicalize(signedInfo));
  value.appendChild(document.createTextNode(octets.toString('base64')));
  signature.appendChild(value);
  const keyInfo = ds('KeyInfo');
  for (const child of options.keyInfo(document)) keyInfo.appendChild(child);
  signature.appendChild(keyInfo);
  return signature;
}

/**
 * Serialises a signed document. A carriage return can only be in the tree through a character
 * reference, and must stay one (XML 1.0 section 2.11 would turn a raw one into a line feed).
 */
export function serializeDocument(document: Document): string {
  return new XMLSerializer().serializeToString(document).replace(/\r/g, '&#xD;');
}

/**
 * The DER of each certificate, for KeyInfo.
 * @throws SecurityError `XML_SIGN_FAILED` when there is none.
 */
export function certificateDers(
  certificates: readonly ({ der: Uint8Array } | Uint8Array)[],
): Buffer[] {
  if (certificates.length === 0) {
    throw new SecurityError('XML_SIGN_FAILED', 'A signer certificate is needed for KeyInfo.');
  }
  return certificates.map((c) => Buffer.from(c instanceof Uint8Array ? c : c.der));
}
