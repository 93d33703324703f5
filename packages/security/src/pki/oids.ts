// Object identifiers the path validator reads (RFC 5280 sections 4.2 and 5.2/5.3).

/** Certificate extensions (RFC 5280 4.2.1). */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  subjectDirectoryAttributes: '2.5.29.9',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  qcStatements: '1.3.6.1.5.5.7.1.3',
} as const;

/** CRL and CRL entry extensions (RFC 5280 5.2, 5.3). */
export const CRL_EXT = {
  authorityKeyIdentifier: '2.5.29.35',
  issuerAltName: '2.5.29.18',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  reasonCode: '2.5.29.21',
  holdInstructionCode: '2.5.29.23',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/** The special policy identifier anyPolicy (RFC 5280 4.2.1.4). */
export const ANY_POLICY = '2.5.29.32.0';

/** The special extended key usage anyExtendedKeyUsage (RFC 5280 4.2.1.12). */
export const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** The emailAddress attribute of a subject DN (PKCS #9), an rfc822Name for RFC 5280 4.2.1.10. */
export const EMAIL_ADDRESS_ATTRIBUTE = '1.2.840.113549.1.9.1';
