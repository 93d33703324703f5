// Signs test documents the way EU trusted lists are signed: enveloped XAdES-B-B (EN 319 132-1).
// Written apart from src/xml: xmldom, xml-crypto's canonicalisers and node:crypto only, so that
// a canonicalisation mistake in the verifier is not mirrored here.

import { constants, createHash, randomUUID, sign, type KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import * as pkijs from 'pkijs';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import type { Certificate } from '../../src/pki/certificate.js';

export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#sha384';
export const SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';
const MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
export const RSA_SHA256 = `${MORE}rsa-sha256`;
export const ECDSA_SHA384 = `${MORE}ecdsa-sha384`;
const SIGNED_PROPERTIES = 'http://uri.etsi.org/01903#SignedProperties';

const HASHES: Record<string, string> = {
  [SHA256]: 'sha256',
  [SHA384]: 'sha384',
  [SHA512]: 'sha512',
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
};

/** How the test XAdES properties are made, and how to make them wrong. */
export interface XadesSpec {
  signingTime?: Date;
  /** Default `'v2'` (SigningCertificateV2, as EN 319 132-1 asks of new signatures). */
  signingCertificate?: 'v1' | 'v2';
  /** The certificate whose digest goes into CertDigest; default the signer's. */
  certDigestOf?: Certificate;
  /** The serial in a v1 IssuerSerial; default the signer's. */
  serialOf?: Certificate;
  /** QualifyingProperties Target; default `#` + the Signature Id; null leaves it out. */
  target?: string | null;
  /** Put the ds:Object with the properties in the root element, outside the Signature. */
  outside?: boolean;
}

/** What to sign with, and how. */
export interface TestSignOptions {
  signer: { readonly key: KeyObject; readonly certificate: Certificate };
  /** Signature method URI (RSA PKCS#1 v1.5, RSA-PSS *-rsa-MGF1, ECDSA). */
  signatureAlgorithm: string;
  /** Digest method URI of every digest; default SHA-256. */
  digestAlgorithm?: string;
  /** SignedInfo canonicalisation URI; default inclusive c14n 1.0. */
  signedInfoC14n?: string;
  /** Transforms of the document Reference; default enveloped-signature + exclusive c14n. */
  documentTransforms?: readonly string[];
  /** Transforms of the SignedProperties Reference; default exclusive c14n. */
  propertiesTransforms?: readonly string[];
  /** XAdES properties; `false` signs plain XML-DSig. Default `{}`. */
  xades?: XadesSpec | false;
}

/**
 * Signs `xml` as a whole (URI="") with an enveloped signature appended to the root element. The
 * Signature is built first, then serialised and parsed again, so that every digest is taken over
 * the namespace context a verifier will see.
 */
export function signXadesForTest(xml: string, options: TestSignOptions): string {
  const built = new DOMParser().parseFromString(xml, 'text/xml');
  const n = randomUUID().slice(0, 8);
  const ids = { signature: `sig-${n}`, reference: `ref-${n}`, properties: `xades-${n}` };
  const xades = options.xades === false ? null : (options.xades ?? {});
  const documentTransforms = options.documentTransforms ?? [ENVELOPED, EXC];
  const propertiesTransforms = options.propertiesTransforms ?? [EXC];
  buildSignature(built, options, ids, xades);

  const doc = new DOMParser().parseFromString(serialize(built), 'text/xml');
  const root = doc.documentElement as Element;
  const signature = byId(doc, DSIG, 'Signature', ids.signature);
  const signedInfo = signature.getElementsByTagNameNS(DSIG, 'SignedInfo').item(0) as Element;
  const digestUri = options.digestAlgorithm ?? SHA256;

  // XML-DSig 1.1 section 3.1.1: the enveloped-signature transform leaves the Signature out.
  const next = signature.nextSibling;
  signature.parentNode?.removeChild(signature);
  fill(
    signedInfo,
    'DigestValue',
    0,
    digest(digestUri, canonical(root, lastC14n(documentTransforms))),
  );
  root.insertBefore(signature, next);
  if (xades) {
    const properties = byId(doc, XADES, 'SignedProperties', ids.properties);
    const octets = canonical(properties, lastC14n(propertiesTransforms));
    fill(signedInfo, 'DigestValue', 1, digest(digestUri, octets));
  }

  // Section 3.1.2: sign the canonical SignedInfo where it stands.
  const method = options.signedInfoC14n === EXC ? 'exclusive' : 'inclusive';
  const value = signBytes(
    options.signatureAlgorithm,
    options.signer.key,
    canonical(signedInfo, method),
  );
  fill(signature, 'SignatureValue', 0, value);
  return serialize(doc);
}

function buildSignature(
  doc: Document,
  options: TestSignOptions,
  ids: { signature: string; reference: string; properties: string },
  xades: XadesSpec | null,
): void {
  const root = doc.documentElement as Element;
  const el: Make = (ns, name, attrs = {}, text) => {
    const element = doc.createElementNS(ns, name);
    for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
    if (text !== undefined) element.appendChild(doc.createTextNode(text));
    return element;
  };
  const add: Add = (parent, ...children) => {
    for (const child of children) parent.appendChild(child);
    return parent;
  };
  const digestUri = options.digestAlgorithm ?? SHA256;
  const documentTransforms = options.documentTransforms ?? [ENVELOPED, EXC];

  const signedInfo = add(
    el(DSIG, 'ds:SignedInfo'),
    el(DSIG, 'ds:CanonicalizationMethod', { Algorithm: options.signedInfoC14n ?? C14N }),
    el(DSIG, 'ds:SignatureMethod', { Algorithm: options.signatureAlgorithm }),
    reference(el, add, { Id: ids.reference, URI: '' }, documentTransforms, digestUri),
  );
  const signature = add(
    el(DSIG, 'ds:Signature', { Id: ids.signature }),
    signedInfo,
    el(DSIG, 'ds:SignatureValue'),
  );
  signature.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:ds', DSIG);
  const x509 = el(DSIG, 'ds:X509Certificate', {}, base64(options.signer.certificate.der));
  add(signature, add(el(DSIG, 'ds:KeyInfo'), add(el(DSIG, 'ds:X509Data'), x509)));
  if (xades) {
    const transforms = options.propertiesTransforms ?? [EXC];
    const attrs = { Type: SIGNED_PROPERTIES, URI: `#${ids.properties}` };
    signedInfo.appendChild(reference(el, add, attrs, transforms, digestUri));
    const object = qualifyingObject(el, add, xades, options, ids);
    (xades.outside ? root : signature).appendChild(object);
  }
  root.appendChild(signature);
}

function byId(doc: Document, ns: string, name: string, id: string): Element {
  const all = doc.getElementsByTagNameNS(ns, name);
  for (let i = 0; i < all.length; i += 1) {
    const element = all.item(i);
    if (element?.getAttribute('Id') === id) return element;
  }
  throw new Error(`test signer: no ${name} ${id}`);
}

function serialize(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

type Make = (ns: string, name: string, attrs?: Record<string, string>, text?: string) => Element;
type Add = (parent: Element, ...children: Element[]) => Element;

function qualifyingObject(
  el: Make,
  add: Add,
  spec: XadesSpec,
  options: TestSignOptions,
  ids: { signature: string; reference: string; properties: string },
): Element {
  const certificate = options.signer.certificate;
  const digestUri = options.digestAlgorithm ?? SHA256;
  const v1 = spec.signingCertificate === 'v1';
  const certDigest = add(
    el(XADES, 'xades:CertDigest'),
    el(DSIG, 'ds:DigestMethod', { Algorithm: digestUri }),
    el(DSIG, 'ds:DigestValue', {}, digest(digestUri, (spec.certDigestOf ?? certificate).der)),
  );
  const serial = BigInt(`0x${(spec.serialOf ?? certificate).serialNumber}`).toString(10);
  const issuerSerial = v1
    ? add(
        el(XADES, 'xades:IssuerSerial'),
        el(DSIG, 'ds:X509IssuerName', {}, 'CN=test issuer'),
        el(DSIG, 'ds:X509SerialNumber', {}, serial),
      )
    : el(XADES, 'xades:IssuerSerialV2', {}, issuerSerialV2(certificate));
  const time = (spec.signingTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const signatureProperties = add(
    el(XADES, 'xades:SignedSignatureProperties'),
    el(XADES, 'xades:SigningTime', {}, time),
    add(
      el(XADES, v1 ? 'xades:SigningCertificate' : 'xades:SigningCertificateV2'),
      add(el(XADES, 'xades:Cert'), certDigest, issuerSerial),
    ),
  );
  const dataObject = add(
    el(XADES, 'xades:SignedDataObjectProperties'),
    add(
      el(XADES, 'xades:DataObjectFormat', { ObjectReference: `#${ids.reference}` }),
      el(XADES, 'xades:MimeType', {}, 'text/xml'),
    ),
  );
  const target = spec.target === undefined ? `#${ids.signature}` : spec.target;
  const qualifying = el(XADES, 'xades:QualifyingProperties', target ? { Target: target } : {});
  qualifying.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xades', XADES);
  add(
    qualifying,
    add(
      el(XADES, 'xades:SignedProperties', { Id: ids.properties }),
      signatureProperties,
      dataObject,
    ),
  );
  return add(el(DSIG, 'ds:Object'), qualifying);
}

function reference(
  el: Make,
  add: Add,
  attrs: Record<string, string>,
  transforms: readonly string[],
  digestUri: string,
): Element {
  const element = el(DSIG, 'ds:Reference', attrs);
  if (transforms.length > 0) {
    const list = el(DSIG, 'ds:Transforms');
    for (const uri of transforms) list.appendChild(el(DSIG, 'ds:Transform', { Algorithm: uri }));
    element.appendChild(list);
  }
  return add(
    element,
    el(DSIG, 'ds:DigestMethod', { Algorithm: digestUri }),
    el(DSIG, 'ds:DigestValue', {}, ''),
  );
}

function fill(parent: Element, name: string, index: number, value: string): void {
  const target = parent.getElementsByTagNameNS(DSIG, name).item(index);
  if (!target) throw new Error(`test signer: no ${name}`);
  target.appendChild((parent.ownerDocument as Document).createTextNode(value));
}

// XML-DSig 1.1 section 4.4.3.2: no canonicalisation transform at the end means c14n 1.0.
function lastC14n(transforms: readonly string[]): 'inclusive' | 'exclusive' {
  return transforms[transforms.length - 1] === EXC ? 'exclusive' : 'inclusive';
}

// Canonical form of a node in its document. Inclusive c14n gets the namespaces in scope from
// the ancestors through xml-crypto's own `ancestorNamespaces` option.
function canonical(node: Element, method: 'inclusive' | 'exclusive'): string {
  // xml-crypto types nodes with the global DOM Node; it is given xmldom nodes, as it expects.
  type Process = (node: unknown, options: object) => string;
  if (method === 'exclusive') {
    const exclusive = new ExclusiveCanonicalization();
    return (exclusive.process.bind(exclusive) as Process)(node, {});
  }
  const inclusive = new C14nCanonicalization();
  return (inclusive.process.bind(inclusive) as Process)(node, {
    ancestorNamespaces: inScope(node),
  });
}

function inScope(node: Element): { prefix: string; namespaceURI: string }[] {
  const found = new Map<string, string>();
  for (let at: Node | null = node.parentNode; at && at.nodeType === 1; at = at.parentNode) {
    const attributes = (at as Element).attributes;
    for (let i = 0; i < attributes.length; i += 1) {
      const attr = attributes.item(i);
      if (!attr) continue;
      const prefix =
        attr.name === 'xmlns' ? '' : attr.name.startsWith('xmlns:') ? attr.localName : null;
      if (prefix !== null && prefix !== undefined && !found.has(prefix))
        found.set(prefix, attr.value);
    }
  }
  return [...found]
    .filter(([prefix, uri]) => prefix !== '' || uri !== '')
    .map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function signBytes(algorithm: string, key: KeyObject, data: string): string {
  const hash = /sha(\d{3})/.exec(algorithm)?.[1];
  if (!hash) throw new Error(`test signer: no hash in ${algorithm}`);
  const input = Buffer.from(data, 'utf8');
  if (algorithm.includes('ecdsa')) {
    return sign(`sha${hash}`, input, { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  if (algorithm.endsWith('rsa-MGF1')) {
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hash) / 8 };
    return sign(`sha${hash}`, input, { key, ...pss }).toString('base64');
  }
  return sign(`sha${hash}`, input, key).toString('base64');
}

function digest(uri: string, data: string | Uint8Array): string {
  const hash = HASHES[uri];
  if (!hash) throw new Error(`test signer: unknown digest ${uri}`);
  return createHash(hash).update(data).digest('base64');
}

function base64(der: Uint8Array): string {
  return Buffer.from(der).toString('base64');
}

// RFC 5035 IssuerSerial (issuer as a directoryName GeneralName, serial), DER, base64.
function issuerSerialV2(certificate: Certificate): string {
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({
      names: [new pkijs.GeneralName({ type: 4, value: certificate.raw.issuer })],
    }),
    serialNumber: certificate.raw.serialNumber,
  });
  return Buffer.from(issuerSerial.toSchema().toBER()).toString('base64');
}
