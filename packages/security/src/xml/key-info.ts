// Finds the signer's certificates in ds:KeyInfo: X509Data, or a WS-Security token reference.

import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { decodeBase64, elementChildren, isElement, leafText } from './dom-helpers.js';
import type { DocumentIndex } from './walk-document.js';
import { DSIG_NS, WSS_BASE64, WSS_X509V3, WSSE_NS } from './xml-namespaces.js';

const UNSUPPORTED = 'XML_KEY_INFO_UNSUPPORTED';
/** More would only make the validator parse and build paths for nothing. */
const MAX_CERTIFICATES = 10;

/**
 * The DER certificates KeyInfo carries, in document order (the signer's first, by convention).
 * They are only candidates: the caller's validator decides whether to trust them. A bare
 * KeyValue never yields a key (XML-DSig 1.1 section 4.5 leaves trust in it to the application).
 *
 * @throws SecurityError `XML_KEY_INFO_UNSUPPORTED` (no KeyInfo, KeyValue only, more than ten
 *   certificates, a token reference to no X.509 token), `XML_REFERENCE_UNRESOLVED`.
 */
export function keyInfoCertificates(keyInfo: Element | null, index: DocumentIndex): Uint8Array[] {
  if (!keyInfo) throw unsupported('The Signature has no KeyInfo.');

  const children = elementChildren(keyInfo, UNSUPPORTED);
  const x509Data = children.filter((c) => isElement(c, DSIG_NS, 'X509Data'));
  if (x509Data.length > 0) return x509DataCertificates(x509Data);

  const tokenReference = children.find((c) => isElement(c, WSSE_NS, 'SecurityTokenReference'));
  if (tokenReference) return [tokenCertificate(tokenReference, index)];

  throw unsupported('KeyInfo carries no X.509 certificate.');
}

// XML-DSig 1.1 section 4.5.4: X509Data holds X509Certificate elements (and names we ignore).
function x509DataCertificates(x509Data: Element[]): Uint8Array[] {
  const ders: Uint8Array[] = [];
  for (const data of x509Data) {
    for (const child of elementChildren(data, UNSUPPORTED)) {
      if (!isElement(child, DSIG_NS, 'X509Certificate')) continue;
      ders.push(decodeBase64(leafText(child, UNSUPPORTED), UNSUPPORTED, 'X509Certificate'));
    }
  }
  if (ders.length === 0) throw unsupported('X509Data carries no X509Certificate.');
  if (ders.length > MAX_CERTIFICATES) throw unsupported('X509Data carries too many certificates.');
  return ders;
}

// WS-Security X.509 Token Profile 1.1 section 3.2: a SecurityTokenReference whose Reference
// points at a BinarySecurityToken of ValueType X509v3.
function tokenCertificate(tokenReference: Element, index: DocumentIndex): Uint8Array {
  const [reference, ...rest] = elementChildren(tokenReference, UNSUPPORTED);
  if (!reference || rest.length > 0 || !isElement(reference, WSSE_NS, 'Reference')) {
    // TODO(wss-key-identifier): KeyIdentifier and X509IssuerSerial references are not supported;
    // a KeyIdentifier would need a store of known certificates.
    throw unsupported('Only a direct wsse:Reference to a BinarySecurityToken is supported.');
  }
  const uri = reference.getAttribute('URI') ?? '';
  const token = uri.startsWith('#') ? index.ids.get(uri.slice(1)) : undefined;
  if (!token) {
    throw new SecurityError('XML_REFERENCE_UNRESOLVED', 'The token reference resolves to nothing.');
  }
  const encoding = token.getAttribute('EncodingType');
  if (
    !isElement(token, WSSE_NS, 'BinarySecurityToken') ||
    token.getAttribute('ValueType') !== WSS_X509V3 ||
    (encoding !== null && encoding !== '' && encoding !== WSS_BASE64)
  ) {
    throw unsupported('The referenced token is not a base64 X509v3 BinarySecurityToken.');
  }
  return decodeBase64(leafText(token, UNSUPPORTED), UNSUPPORTED, 'BinarySecurityToken');
}

function unsupported(message: string): SecurityError {
  return new SecurityError(UNSUPPORTED, message);
}
