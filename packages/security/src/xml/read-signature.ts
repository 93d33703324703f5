// Reads a ds:Signature element strictly (XML-DSig 1.1 section 4) into what verification needs.

import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { decodeBase64, elementChildren, isElement, leafText } from './dom-helpers.js';
import {
  digestAlgorithm,
  signatureAlgorithm,
  type XmlDigestAlgorithm,
  type XmlSignatureAlgorithm,
} from './xml-algorithms.js';
import type { C14nMethod } from './canonicalize.js';
import { C14N_10, DSIG_NS, ENVELOPED_SIGNATURE, EXC_C14N } from './xml-namespaces.js';

/** One ds:Reference, read but not yet resolved. */
export interface ReadReference {
  readonly uri: string;
  /** The Type attribute (e.g. the XAdES SignedProperties type), or null. */
  readonly type: string | null;
  readonly enveloped: boolean;
  /** The canonicalisation the transforms end with (explicit, or implied by section 4.4.3.2). */
  readonly c14n: C14nMethod;
  readonly inclusivePrefixes: readonly string[];
  readonly digest: XmlDigestAlgorithm;
  readonly digestValue: Buffer;
}

/** A ds:Signature, read but not yet verified. */
export interface ReadSignature {
  readonly signature: Element;
  readonly signedInfo: Element;
  readonly signedInfoC14n: C14nMethod;
  readonly signedInfoPrefixes: readonly string[];
  readonly algorithm: XmlSignatureAlgorithm;
  readonly references: readonly ReadReference[];
  readonly signatureValue: Buffer;
  readonly keyInfo: Element | null;
}

/** What {@link readSignature} accepts. */
export interface ReadSignaturePolicy {
  readonly allowSha1: boolean;
  /** Accept Canonical XML 1.0 (inclusive, no comments) besides exclusive c14n. */
  readonly allowInclusiveC14n: boolean;
}

const MALFORMED = 'XML_SIGNATURE_MALFORMED';

/**
 * Reads `signature` and checks every algorithm against the policy.
 * @throws SecurityError `XML_SIGNATURE_MALFORMED`, `XML_ALGORITHM_FORBIDDEN`,
 *   `XML_TRANSFORM_FORBIDDEN`.
 */
export function readSignature(signature: Element, policy: ReadSignaturePolicy): ReadSignature {
  const { allowSha1 } = policy;
  // XML-DSig 1.1 section 4.2: SignedInfo, SignatureValue, KeyInfo?, Object*.
  const [signedInfo, value, ...rest] = elementChildren(signature, MALFORMED);
  expect(signedInfo, 'SignedInfo');
  expect(value, 'SignatureValue');
  const keyInfo = rest[0] && isElement(rest[0], DSIG_NS, 'KeyInfo') ? rest[0] : null;
  for (const extra of keyInfo ? rest.slice(1) : rest) expect(extra, 'Object');

  // Section 4.4: CanonicalizationMethod, SignatureMethod, Reference+.
  const [c14n, method, ...references] = elementChildren(signedInfo, MALFORMED);
  expect(c14n, 'CanonicalizationMethod');
  expect(method, 'SignatureMethod');
  if (references.length === 0) malformed(signedInfo, 'SignedInfo has no Reference.');
  const signedInfoC14n = c14nMethod(c14n.getAttribute('Algorithm') ?? '', policy);
  if (!signedInfoC14n) {
    throw new SecurityError('XML_ALGORITHM_FORBIDDEN', 'SignedInfo uses a forbidden c14n.', {
      context: { algorithm: c14n.getAttribute('Algorithm') },
    });
  }
  const algorithm = signatureAlgorithm(method.getAttribute('Algorithm') ?? '', allowSha1);
  if (elementChildren(method, MALFORMED).length > 0) {
    malformed(method, 'SignatureMethod has parameters (HMAC output length is not supported).');
  }

  return {
    signature,
    signedInfo,
    signedInfoC14n,
    signedInfoPrefixes: inclusivePrefixes(c14n, signedInfoC14n, 'XML_ALGORITHM_FORBIDDEN'),
    algorithm,
    references: references.map((r) => readReference(r, policy)),
    signatureValue: decodeBase64(leafText(value, MALFORMED), MALFORMED, 'SignatureValue'),
    keyInfo,
  };
}

// Section 4.4.3: Reference has URI?, Transforms?, DigestMethod, DigestValue.
function readReference(reference: Element, policy: ReadSignaturePolicy): ReadReference {
  expect(reference, 'Reference');
  if (!reference.hasAttribute('URI')) malformed(reference, 'A Reference has no URI.');
  const children = elementChildren(reference, MALFORMED);
  const transforms = isElement(children[0], DSIG_NS, 'Transforms') ? children.shift() : undefined;
  const [method, value, ...rest] = children;
  expect(method, 'DigestMethod');
  expect(value, 'DigestValue');
  if (rest.length > 0) malformed(reference, 'A Reference has unexpected children.');
  if (elementChildren(method, MALFORMED).length > 0)
    malformed(method, 'DigestMethod has children.');

  const read = readTransforms(transforms, policy);
  return {
    uri: reference.getAttribute('URI') ?? '',
    type: reference.getAttribute('Type'),
    ...read,
    digest: digestAlgorithm(method.getAttribute('Algorithm') ?? '', policy.allowSha1),
    digestValue: decodeBase64(leafText(value, MALFORMED), MALFORMED, 'DigestValue'),
  };
}

// Section 6.6: [c14n] or [enveloped-signature, c14n], where c14n is exclusive (or, when the
// policy allows, inclusive). Section 4.4.3.2: a node-set left at the end of the transforms is
// turned into octets by Canonical XML 1.0, so no transforms, or the enveloped transform alone,
// mean inclusive c14n and are accepted only where inclusive c14n is.
function readTransforms(
  transforms: Element | undefined,
  policy: ReadSignaturePolicy,
): { enveloped: boolean; c14n: C14nMethod; inclusivePrefixes: readonly string[] } {
  const list = transforms ? elementChildren(transforms, MALFORMED) : [];
  const uris = list.map((t) => {
    expect(t, 'Transform');
    return t.getAttribute('Algorithm') ?? '';
  });
  const enveloped = uris[0] === ENVELOPED_SIGNATURE;
  const rest = enveloped ? list.slice(1) : list;
  const method = rest[0];
  const explicit = method ? c14nMethod(method.getAttribute('Algorithm') ?? '', policy) : null;
  const c14n = method ? explicit : policy.allowInclusiveC14n ? 'inclusive' : null;
  if (rest.length > 1 || !c14n) {
    throw new SecurityError('XML_TRANSFORM_FORBIDDEN', 'A Reference has forbidden transforms.', {
      context: { transforms: uris.join(' ') || 'none' },
    });
  }
  if (enveloped && list[0] && elementChildren(list[0], MALFORMED).length > 0) {
    throw new SecurityError('XML_TRANSFORM_FORBIDDEN', 'The enveloped transform has children.');
  }
  const prefixes = method ? inclusivePrefixes(method, c14n, 'XML_TRANSFORM_FORBIDDEN') : [];
  return { enveloped, c14n, inclusivePrefixes: prefixes };
}

// Exclusive c14n always; Canonical XML 1.0 without comments when the policy allows it.
function c14nMethod(uri: string, policy: ReadSignaturePolicy): C14nMethod | null {
  if (uri === EXC_C14N) return 'exclusive';
  if (uri === C14N_10 && policy.allowInclusiveC14n) return 'inclusive';
  return null;
}

// Exclusive XML Canonicalization 1.0 section 3: an optional ec:InclusiveNamespaces child.
// Canonical XML 1.0 has no parameters.
function inclusivePrefixes(
  method: Element,
  c14n: C14nMethod,
  code: 'XML_TRANSFORM_FORBIDDEN' | 'XML_ALGORITHM_FORBIDDEN',
): readonly string[] {
  const children = elementChildren(method, MALFORMED);
  if (children.length === 0) return [];
  const [only] = children;
  if (
    c14n !== 'exclusive' ||
    children.length > 1 ||
    !isElement(only, EXC_C14N, 'InclusiveNamespaces') ||
    !only
  ) {
    throw new SecurityError(code, 'A c14n method has unexpected parameters.', {
      context: { element: method.localName },
    });
  }
  return (only.getAttribute('PrefixList') ?? '').split(/[ \t\r\n]+/).filter((p) => p.length > 0);
}

function expect(element: Element | undefined, name: string): asserts element is Element {
  if (!isElement(element, DSIG_NS, name)) {
    throw new SecurityError(MALFORMED, `The Signature has no ${name} where one belongs.`, {
      context: { expected: name, found: element?.localName ?? null, line: element?.lineNumber },
    });
  }
}

function malformed(element: Element, message: string): never {
  throw new SecurityError(MALFORMED, message, {
    context: { element: element.localName, line: element.lineNumber },
  });
}
