// Namespace and algorithm URIs of XML-DSig, XAdES, SOAP 1.1 and WS-Security used by this folder.

/** XML-DSig core namespace (XML-DSig 1.1 section 4). */
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** The XML namespace-declaration namespace. */
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** SOAP 1.1 envelope namespace. */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** WS-Security 1.0 secext namespace (wsse). */
export const WSSE_NS =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** WS-Security 1.0 utility namespace (wsu: Id, Timestamp). */
export const WSU_NS =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
/** X.509 token profile: ValueType of a single certificate token. */
export const WSS_X509V3 =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
/** SOAP message security: EncodingType of base64 tokens. */
export const WSS_BASE64 =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** Canonical XML 1.0 (inclusive), without comments. */
export const C14N_10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
/** Exclusive XML canonicalisation 1.0, without comments. */
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
/** The enveloped-signature transform (XML-DSig 1.1 section 6.6.4). */
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** XAdES namespace (ETSI EN 319 132-1 section 4.2; also holds SigningCertificateV2). */
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
/** Reference Type of the Reference to xades:SignedProperties (ETSI EN 319 132-1 section 4.3.1). */
export const XADES_SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';
