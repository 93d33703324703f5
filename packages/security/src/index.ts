// Public API of @interop-blocks/security.

export { SECURITY_ERROR_CODES, SecurityError, type SecurityErrorCode } from './errors.js';

// Certificates and path validation
export { readPem, writePem, isPem, type PemBlock } from './pki/pem.js';
export type { DistinguishedName, NameAttribute } from './pki/names.js';
export { parseCertificate, parseCertificates, type Certificate } from './pki/certificate.js';
export { parseCrl, parseCrls, type Crl, type CrlEntry } from './pki/crl.js';
export type { IssuingDistributionPoint } from './pki/crl-extensions.js';
export type { RevocationReason } from './pki/crl-reason.js';
export type { KeyUsageName } from './pki/key-usage.js';
export { CrlCache, type CrlCacheOptions } from './pki/crl-cache.js';
export { fetchCrl } from './pki/crl-fetch.js';
export {
  CertificateValidator,
  validateCertificatePath,
  type CertificateValidatorOptions,
  type CrlFetchOptions,
  type FetchFunction,
  type PathValidationOptions,
  type RevocationChecker,
  type RevocationMode,
  type RevocationOptions,
  type RevocationStatus,
  type ValidatedPath,
  type ValidateOptions,
} from './pki/validate-path.js';

// Development PKI
export { createDevPki } from './dev-pki/create-dev-pki.js';
export { writeDevPki, type WriteDevPkiOptions, type WrittenFile } from './dev-pki/write-dev-pki.js';
export { DEV_PKI_POLICY_OID } from './dev-pki/profiles.js';
export {
  DEV_EXTENDED_KEY_USAGES,
  DEV_KEY_USAGE_BITS,
  type DevKeyUsage,
} from './dev-pki/build-extensions.js';
export type { DevSubject } from './dev-pki/build-name.js';
export type { DevKeyAlgorithm } from './dev-pki/crypto-engine.js';
export type { DevIssued } from './dev-pki/issue-certificate.js';
export type { DevCrl } from './dev-pki/issue-crl.js';
export type {
  DevExtraCertificateOptions,
  DevOrganisation,
  DevOrganisationOptions,
  DevPersonOptions,
  DevPki,
  DevPkiOptions,
  DevRawExtension,
} from './dev-pki/dev-pki-options.js';

// Qualified certificates and principals
export {
  describeQualifiedStatus,
  type QualifiedStatus,
} from './qualified/describe-qualified-status.js';
export {
  decodeQcStatements,
  readQcStatements,
  type QcLimitValue,
  type QcStatements,
  type QcType,
} from './qualified/read-qc-statements.js';
export {
  encodeQcStatements,
  type PdsLocation,
  type QcStatementsInput,
} from './qualified/encode-qc-statements.js';
export {
  readCertificatePolicies,
  type CertificatePolicy,
} from './qualified/read-certificate-policies.js';
export {
  LEGAL_PERSON_ID_TYPES,
  NATURAL_PERSON_ID_TYPES,
  parseSemanticIdentifier,
  type SemanticIdentifier,
} from './qualified/semantic-identifier.js';
export {
  ETSI_POLICY_OIDS,
  ETSI_QUALIFIED_POLICY_OIDS,
  QC_STATEMENTS_EXTENSION_OID,
  QC_STATEMENT_OIDS,
  QC_TYPE_OIDS,
  SEMANTICS_IDENTIFIER_OIDS,
  type EtsiPolicyName,
} from './qualified/qualified-oids.js';
export {
  PrincipalDirectory,
  type PrincipalDirectoryOptions,
  type PrincipalLookup,
} from './qualified/principal-directory.js';
export {
  PRINCIPAL_KINDS,
  organisationOf,
  type Principal,
  type PrincipalMatch,
} from './qualified/principal.js';

// OCSP
export { OcspClient, type OcspClientOptions } from './pki/ocsp/ocsp-client.js';
export {
  createOcspResponder,
  type CertificateWithKey,
  type OcspResponderOptions,
} from './pki/ocsp/ocsp-responder.js';
export type { ResponderCertStatus } from './pki/ocsp/build-ocsp-response.js';
export {
  buildOcspRequest,
  type OcspRequest,
  type OcspRequestOptions,
} from './pki/ocsp/build-ocsp-request.js';
export type { CertIdHash } from './pki/ocsp/cert-id.js';
export { ocspResponderUrls } from './pki/ocsp/responder-url.js';
export type { OcspCheckOptions, OcspStatus } from './pki/ocsp/ocsp-types.js';

// Mutual TLS
export {
  MTLS_CIPHERS,
  mtlsClientOptions,
  mtlsServerOptions,
  type MtlsIdentityOptions,
  type MtlsServerOptions,
  type TlsPrivateKey,
} from './tls/mtls-options.js';
export {
  authenticatePeer,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  type AuthenticatedPeer,
  type PeerAuthenticationOptions,
} from './tls/authenticate-peer.js';
export { PeerChainCache, type PeerCertificateInput, type PeerInput } from './tls/peer-chain.js';
export { mtlsGuard, type PeerDecision } from './tls/mtls-guard.js';
export { mtlsConnector, type MtlsConnectorOptions } from './tls/mtls-connector.js';
export type { ChainValidator, PrincipalResolver } from './internal/chain-validator.js';

// JWS
export { JWS_ALGORITHMS, type JwsAlgorithm } from './jws/jws-algorithms.js';
export {
  JWS_TYPE_ANSWER,
  JWS_TYPE_REQUEST,
  type JwsMessageType,
  type SignedMessageHeader,
} from './jws/jws-header.js';
export { JwsSigner, type AnswerBinding, type JwsSignerOptions } from './jws/jws-signer.js';
export {
  JwsVerifier,
  type JwsVerifierOptions,
  type VerifiedMessage,
  type VerifyMessageInput,
} from './jws/jws-verifier.js';
export { X5cCache } from './jws/x5c-cache.js';
export {
  bindAnswerToRequest,
  requestHash,
  verifyAnswerBinding,
  type MessageBytes,
} from './jws/request-hash.js';

// XML and XML-DSig
export {
  DEFAULT_MAX_XML_BYTES,
  DEFAULT_MAX_XML_DEPTH,
  parseXmlSafely,
  type XmlParseOptions,
} from './xml/parse-xml.js';
export { signXml, type SignXmlOptions } from './xml/sign-xml.js';
export {
  verifyXml,
  type VerifiedXades,
  type VerifiedXml,
  type VerifyXmlOptions,
  type XadesMode,
  type XmlSignedElement,
} from './xml/verify-xml.js';
export { DEFAULT_MIN_RSA_BITS, type XmlVerifyOptions } from './xml/verify-options.js';
export { buildSoapEnvelope } from './xml/build-soap-envelope.js';
export { signSoapEnvelope, type SignSoapOptions } from './xml/sign-soap-envelope.js';
export {
  verifySoapEnvelope,
  type VerifiedSoapEnvelope,
  type VerifySoapOptions,
} from './xml/verify-soap-envelope.js';
export { readSoapPayload } from './xml/read-soap-payload.js';
export type { SoapTimestamp } from './xml/timestamp.js';
export type {
  XmlSigner,
  XmlSignerContext,
  XmlSignerResolver,
  XmlSignerTrust,
} from './xml/signer-trust.js';
export { trustPinnedCertificates } from './xml/trust-pinned-certificates.js';
export { ECDSA_SHA256, RSA_PSS_SHA256, RSA_SHA256, SHA256_DIGEST } from './xml/xml-algorithms.js';

// Trail
export { openTrail, type Trail, type TrailCheckpoint } from './trail/open-trail.js';
export type {
  OpenTrailOptions,
  TrailAppendResult,
  TrailAppender,
  TrailDetails,
  TrailKey,
  TrailProblem,
  TrailProblemKind,
  TrailRecordInput,
  TrailRetention,
  TrailSignatureAlgorithm,
  TrailSigner,
  TrailSourceRetention,
  TrailSubject,
  TrailSubjectKeys,
  TrailVerification,
} from './trail/types.js';
export { createKeySigner, type KeySignerOptions } from './trail/signer.js';
export { TRAIL_MIGRATIONS } from './trail/schema.js';
export {
  GENESIS_HASH,
  RECORD_FORMAT,
  checkpointBytes,
  recordCanonical,
  type CheckpointHead,
  type HashedColumns,
} from './trail/canonical.js';
export { normaliseSubject } from './trail/subject-crypto.js';
export type { VerifyOptions } from './trail/verify-store.js';
export type {
  CopyState,
  SubjectAccessReport,
  SubjectReportOptions,
  TrailEntry,
  TrailPage,
  TrailQuery,
} from './trail/query-trail.js';
export type { ExportOptions, ExportResult } from './trail/export-bundle.js';
export type { PurgeResult } from './trail/purge.js';
export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleCheckpoint,
  type BundleEnd,
  type BundleHeader,
  type BundleRecord,
} from './trail/bundle-format.js';
export {
  verifyTrailBundle,
  type BundleVerification,
  type VerifyBundleOptions,
} from './trail/verify-bundle.js';

// Principals and rights
export {
  openRights,
  type AuthorizeOptions,
  type OpenRightsOptions,
  type Rights,
  type UsableRight,
} from './rights/open-rights.js';
export {
  RIGHTS_ADMIN_SOURCE,
  RIGHTS_ALLOWED,
  RIGHT_ACTIONS,
  type AuthorizationDecision,
  type AuthorizeRequest,
  type CertificateRegistration,
  type CertificateRegistrationInput,
  type ChangeActor,
  type ChangeContext,
  type DecisionReason,
  type PrincipalKind,
  type RegisteredPrincipal,
  type Right,
  type RightAction,
  type RightsChange,
  type RightsEntityKind,
  type RightsStatus,
  type RoleAssignment,
} from './rights/types.js';
export {
  RIGHTS_ERROR_CODES,
  RIGHTS_REFUSAL_CODES,
  type RightsRefusalCode,
} from './rights/rights-error-codes.js';
export { RIGHTS_MIGRATIONS } from './rights/migrations.js';
export { isSourceId, parseSourcePattern, type SourcePattern } from './rights/source-pattern.js';
export {
  createStorePrincipalDirectory,
  type RegisteredMatch,
  type StorePrincipalDirectory,
  type StorePrincipalDirectoryOptions,
} from './rights/store-principal-directory.js';

// Administration
export { createRightsAdmin, type RightsAdmin } from './admin/rights-admin.js';
export type {
  ApplicationInput,
  OrganisationInput,
  RoleInput,
  UserInput,
} from './admin/register-principals.js';
export type { AssignRoleInput, GrantInput } from './admin/grant-rights.js';
export {
  rightsAdminPlugin,
  type AdminIdentity,
  type RightsAdminPluginOptions,
} from './admin/admin-plugin.js';
export type { AdminErrorBody } from './admin/http-errors.js';

// Trusted lists
export {
  DEFAULT_MAX_TRUSTED_LIST_BYTES,
  grantedAnchors,
  loadTrustedList,
  type LoadTrustedListOptions,
  type TrustedList,
} from './trusted-list/load-trusted-list.js';
export { trustAnchorsFromTrustedLists } from './trusted-list/trust-anchors-from-lists.js';
export type { SchemeInformation } from './trusted-list/read-scheme-information.js';
export type { ServiceStatusPeriod, TrustedListService } from './trusted-list/read-services.js';
export type { StatusPolicy } from './trusted-list/service-status-at.js';
export {
  EIDAS_APPLICATION_DATE,
  SERVICE_STATUS,
  SERVICE_TYPE_CA_QC,
  TSL_NS,
} from './trusted-list/tsl-uris.js';
