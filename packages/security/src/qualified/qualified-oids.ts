// Object identifiers of qualified certificates: ETSI EN 319 412-5 statements, ETSI policy OIDs.

/** RFC 3739 section 3.2.6: the certificate extension that holds the QcStatements. */
export const QC_STATEMENTS_EXTENSION_OID = '1.3.6.1.5.5.7.1.3';

/** Statement ids of ETSI EN 319 412-5 section 4 and RFC 3739 section 3.2.6.1. */
export const QC_STATEMENT_OIDS = {
  /** ETSI EN 319 412-5 4.2.1 esi4-qcStatement-1: the certificate is an EU qualified certificate. */
  qcCompliance: '0.4.0.1862.1.1',
  /** ETSI EN 319 412-5 4.3.2 esi4-qcStatement-2: limit on the value of transactions. */
  qcLimitValue: '0.4.0.1862.1.2',
  /** ETSI EN 319 412-5 4.3.3 esi4-qcStatement-3: years the registration data are kept. */
  qcRetentionPeriod: '0.4.0.1862.1.3',
  /** ETSI EN 319 412-5 4.2.2 esi4-qcStatement-4: the private key is in a QSCD. */
  qcSscd: '0.4.0.1862.1.4',
  /** ETSI EN 319 412-5 4.3.4 esi4-qcStatement-5: where the PKI disclosure statements are. */
  qcPds: '0.4.0.1862.1.5',
  /** ETSI EN 319 412-5 4.2.3 esi4-qcStatement-6: the type (esign, eseal, web). */
  qcType: '0.4.0.1862.1.6',
  /** ETSI EN 319 412-5 4.2.4 esi4-qcStatement-7: countries whose law the certificate follows. */
  qcCClegislation: '0.4.0.1862.1.7',
  /** RFC 3739 3.2.6.1 id-qcs-pkixQCSyntax-v2: SemanticsInformation of a natural or legal person. */
  pkixQcSyntaxV2: '1.3.6.1.5.5.7.11.2',
  /** RFC 3739 3.2.6.1 id-qcs-pkixQCSyntax-v1 (obsolete). */
  pkixQcSyntaxV1: '1.3.6.1.5.5.7.11.1',
} as const;

/** ETSI EN 319 412-5 4.2.3: the QcType values. */
export const QC_TYPE_OIDS = {
  esign: '0.4.0.1862.1.6.1',
  eseal: '0.4.0.1862.1.6.2',
  web: '0.4.0.1862.1.6.3',
} as const;

/** ETSI EN 319 412-1 5.1: semantics identifiers used in the QCSyntax-v2 statement. */
export const SEMANTICS_IDENTIFIER_OIDS = {
  /** id-etsi-qcs-semanticsId-Natural: the serialNumber follows ETSI EN 319 412-1 5.1.3. */
  natural: '0.4.0.194121.1.1',
  /** id-etsi-qcs-semanticsId-Legal: the organizationIdentifier follows ETSI EN 319 412-1 5.1.4. */
  legal: '0.4.0.194121.1.2',
  /** id-etsi-qcs-semanticsId-eIDASNatural (ETSI EN 319 412-1 5.1.2). */
  eidasNatural: '0.4.0.194121.1.3',
  /** id-etsi-qcs-semanticsId-eIDASLegal (ETSI EN 319 412-1 5.1.2). */
  eidasLegal: '0.4.0.194121.1.4',
} as const;

/** ETSI EN 319 411-2 5.3: the policies of EU qualified certificates, by their short names. */
export const ETSI_QUALIFIED_POLICY_OIDS = {
  'QCP-n': '0.4.0.194112.1.0',
  'QCP-l': '0.4.0.194112.1.1',
  'QCP-n-qscd': '0.4.0.194112.1.2',
  'QCP-l-qscd': '0.4.0.194112.1.3',
  'QCP-w': '0.4.0.194112.1.4',
  'QCP-w-psd2': '0.4.0.194112.1.5',
  'QNCP-w': '0.4.0.194112.1.6',
  'QNCP-w-gen': '0.4.0.194112.1.7',
} as const;

/** ETSI EN 319 411-1 5.3: the policies of (non-qualified) certificates, by their short names. */
export const ETSI_POLICY_OIDS = {
  NCP: '0.4.0.2042.1.1',
  'NCP+': '0.4.0.2042.1.2',
  LCP: '0.4.0.2042.1.3',
  EVCP: '0.4.0.2042.1.4',
  DVCP: '0.4.0.2042.1.6',
  OVCP: '0.4.0.2042.1.7',
  IVCP: '0.4.0.2042.1.8',
} as const;

/** The short name of an ETSI certificate policy, e.g. `QCP-l-qscd`. */
export type EtsiPolicyName =
  keyof typeof ETSI_QUALIFIED_POLICY_OIDS | keyof typeof ETSI_POLICY_OIDS;

/** RFC 5280 4.2.1.4: the special policy that matches every policy. */
export const ANY_POLICY_OID = '2.5.29.32.0';
