// Stable error codes of XML parsing and XML-DSig.

/** Codes of XML parsing and XML-DSig: code -> meaning. */
export const XMLDSIG_ERROR_CODES = {
  XML_TOO_LARGE: 'An XML document is larger than the configured byte limit.',
  XML_MALFORMED: 'An XML document is not well-formed (or not UTF-8, or has no root element).',
  XML_DOCTYPE_FORBIDDEN: 'An XML document has a DOCTYPE (entities, external subsets are refused).',
  XML_PROCESSING_INSTRUCTION_FORBIDDEN: 'An XML document has a processing instruction.',
  XML_TOO_DEEP: 'An XML document nests elements deeper than the configured limit.',
  XML_SOAP_MALFORMED: 'A document is not a SOAP 1.1 envelope with a Header and one Body.',
  XML_SIGNATURE_MISSING: 'A document that must be signed has no XML-DSig Signature.',
  XML_SIGNATURE_COUNT: 'A document has more Signature elements than expected.',
  XML_SIGNATURE_MALFORMED: 'A Signature, SignedInfo or Reference does not have the XML-DSig shape.',
  XML_REFERENCE_UNRESOLVED: 'A Reference URI is not same-document or matches no element.',
  XML_REFERENCE_UNEXPECTED: 'The References do not cover exactly the elements that must be signed.',
  XML_DUPLICATE_ID: 'Two elements carry the same Id / ID / id / wsu:Id value.',
  XML_WRAPPING: 'The signed element is not the element the caller consumes (signature wrapping).',
  XML_TRANSFORM_FORBIDDEN:
    'A Reference uses a transform other than enveloped-signature and exc-c14n (or allowed c14n).',
  XML_ALGORITHM_FORBIDDEN: 'A canonicalisation, digest or signature algorithm is not allowed.',
  XML_DIGEST_MISMATCH: 'The digest of a referenced element differs from its DigestValue.',
  XML_SIGNATURE_INVALID: 'The SignatureValue does not verify over SignedInfo with the signer key.',
  XML_KEY_INFO_UNSUPPORTED: 'KeyInfo carries no X.509 certificate (e.g. a bare KeyValue).',
  XML_KEY_TYPE_MISMATCH: 'The signer key does not fit the signature algorithm, or is too weak.',
  XML_KEY_UNTRUSTED: 'The certificate in KeyInfo was refused by the certificate validation.',
  XML_TIMESTAMP_MISSING: 'A WS-Security header has no Timestamp, or it lacks Created / Expires.',
  XML_TIMESTAMP_MALFORMED: 'A Timestamp Created or Expires is not an xsd:dateTime in UTC.',
  XML_TIMESTAMP_EXPIRED: 'A Timestamp has expired, or was created longer ago than allowed.',
  XML_TIMESTAMP_FUTURE: 'A Timestamp was created further in the future than the clock skew.',
  XML_XADES_MISSING: 'XAdES was required and the Signature has no SignedProperties of its own.',
  XML_XADES_MALFORMED:
    'XAdES QualifyingProperties / SignedProperties are repeated, qualify another Signature, ' +
    'or hold a bad value.',
  XML_SIGNING_CERTIFICATE_MISMATCH:
    'The XAdES SigningCertificate(V2) does not name the certificate whose key verified ' +
    'the signature.',
  XML_SIGN_FAILED: 'Signing was asked for something that cannot be signed (missing element, key).',
} as const;
