// Signs test documents with xml-crypto itself, the independent implementation we interoperate with.

import { SignedXml } from 'xml-crypto';
import type { DevIssued } from '../../src/dev-pki/issue-certificate.js';

const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface XmlCryptoSignOptions {
  signer: DevIssued;
  /** XPath of each element to sign; `''` signs the document with URI="". */
  references: string[];
  /** Where the Signature goes (XPath), appended. Default the root. */
  location?: string;
  sha1?: boolean;
  transforms?: string[];
  wssecurity?: boolean;
  /** exc-c14n InclusiveNamespaces PrefixList of every reference. */
  inclusivePrefixes?: string[];
}

/** A document signed by xml-crypto (RSA only: xml-crypto 6 has no ECDSA). */
export function signWithXmlCrypto(xml: string, options: XmlCryptoSignOptions): string {
  const sig = new SignedXml({
    privateKey: options.signer.keyPem,
    publicCert: options.signer.certPem,
    canonicalizationAlgorithm: EXC,
    signatureAlgorithm: options.sha1
      ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'
      : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    idMode: options.wssecurity ? 'wssecurity' : undefined,
  });
  for (const xpath of options.references) {
    sig.addReference({
      xpath: xpath || '/*',
      isEmptyUri: xpath === '',
      transforms: options.transforms ?? (xpath === '' ? [ENVELOPED, EXC] : [EXC]),
      inclusiveNamespacesPrefixList: options.inclusivePrefixes,
      digestAlgorithm: options.sha1
        ? 'http://www.w3.org/2000/09/xmldsig#sha1'
        : 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
  }
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: options.location ?? '/*', action: 'append' },
  });
  return sig.getSignedXml();
}
