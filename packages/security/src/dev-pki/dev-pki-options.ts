// Options and result types of the development PKI.

import type { QcStatementsInput } from '../qualified/encode-qc-statements.js';
import type { DevSubject } from './build-name.js';
import type { DevKeyUsage } from './build-extensions.js';
import type { DevKeyAlgorithm } from './crypto-engine.js';
import type { DevIssued } from './issue-certificate.js';
import type { DevCrl } from './issue-crl.js';

/** An organisation that receives a server and a client certificate. */
export interface DevOrganisationOptions {
  /** Organisation name (subject O), e.g. `Centre for Social Work Example`. */
  name: string;
  /** Handle used in certificate names and file names, `[a-z0-9-]`; default: derived from `name`. */
  id?: string;
  /** Slovenian tax number (8 digits, valid check digit); default: a generated one. */
  taxNumber?: string;
  /** ETSI EN 319 412-1 organizationIdentifier; default `VATSI-<taxNumber>`. */
  organizationIdentifier?: string;
  /** dNSName entries of the server certificate; default `['localhost']`. */
  dnsNames?: string[];
  /** iPAddress entries of the server certificate; default `['127.0.0.1', '::1']`. */
  ipAddresses?: string[];
}

/** The fictitious natural person of the personal signing certificate. */
export interface DevPersonOptions {
  /** Default `Testna` (Slovene for "test"). */
  givenName?: string;
  /** Default `Oseba` (Slovene for "person"). */
  surname?: string;
  /** ETSI EN 319 412-1 5.1.3 serialNumber; default `PNOSI-` and eight random digits. */
  serialNumber?: string;
}

/** An additional certificate, mostly for negative tests (wrong usage, expired, ...). */
export interface DevExtraCertificateOptions {
  /** Handle, `[a-z0-9-]`, unique in the PKI. */
  name: string;
  /** Subject attributes; `commonName` defaults to `name`. */
  subject?: Partial<DevSubject>;
  /** Id of an organisation whose name and organizationIdentifier the subject takes. */
  organisation?: string;
  /** The CA that signs it; default `intermediate`. */
  issuer?: 'root' | 'intermediate';
  /** Make it a CA certificate (basicConstraints cA=true). */
  ca?: boolean;
  pathLength?: number;
  /**
   * Key usage; default `['digitalSignature']` (CA: `['keyCertSign', 'cRLSign']`); `null` omits it.
   */
  keyUsage?: DevKeyUsage[] | null;
  /** Extended key usage by name (`clientAuth`) or OID; default: none (no extension). */
  extendedKeyUsage?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Certificate policy OIDs; default the development policy. */
  policies?: string[];
  /** QcStatements to include. */
  qcStatements?: QcStatementsInput;
  /** Extensions added as given (DER of the value), e.g. malformed ones for negative tests. */
  rawExtensions?: DevRawExtension[];
  notBefore?: Date;
  notAfter?: Date;
  keyAlgorithm?: DevKeyAlgorithm;
}

/** An extension written as given: its OID, criticality and the DER of its value. */
export interface DevRawExtension {
  oid: string;
  critical?: boolean;
  value: Uint8Array;
}

/** Options of {@link createDevPki}; every field is optional. */
export interface DevPkiOptions {
  /** Default: one organisation, `Development Organisation` (id `dev-org`). */
  organisations?: DevOrganisationOptions[];
  /** Default `ecdsa-p256`; `rsa-2048` signs with PKCS#1 v1.5 and SHA-256. */
  keyAlgorithm?: DevKeyAlgorithm;
  /** The reference time of issuance; default the current time. */
  now?: Date;
  /** Validity of end-entity certificates in days from `now`; default 365. */
  days?: number;
  /** Overrides the start of end-entity validity (default `now` minus 5 minutes). */
  notBefore?: Date;
  /** Overrides the end of end-entity validity (e.g. in the past, for expired certificates). */
  notAfter?: Date;
  /** Validity of the root and intermediate; default: covering every end-entity by a day. */
  caNotBefore?: Date;
  caNotAfter?: Date;
  /** A label in the CA names, so that several PKIs in one process differ; default random hex. */
  label?: string;
  /** Base URL of CRL distribution points (`<base>/intermediate.crl`, `<base>/root.crl`). */
  crlBaseUrl?: string;
  /** OCSP responder URL put in the authority information access of end-entity certificates. */
  ocspUrl?: string;
  /** URL of the PKI disclosure statement in QcPDS; default `https://dev-pki.example/pds-en`. */
  pdsUrl?: string;
  /** Id of the organisation that holds the electronic seal; default the first. */
  sealOrganisation?: string;
  person?: DevPersonOptions;
  extras?: DevExtraCertificateOptions[];
  /** Handles of certificates to put on the CRLs (`<org>-client`, `seal`, `intermediate`, ...). */
  revoke?: string[];
  /** When revoked certificates were revoked; default `now` minus one hour. */
  revocationDate?: Date;
  /** Days from `now` to the CRLs' nextUpdate; default 7. */
  crlDays?: number;
}

/** An organisation with its certificates. */
export interface DevOrganisation {
  readonly id: string;
  readonly name: string;
  readonly taxNumber: string;
  readonly organizationIdentifier: string;
  /** TLS server certificate (serverAuth), handle `<id>-server`. */
  readonly server: DevIssued;
  /** TLS client certificate (clientAuth), handle `<id>-client`. */
  readonly client: DevIssued;
}

/** The development PKI, all in memory. */
export interface DevPki {
  readonly keyAlgorithm: DevKeyAlgorithm;
  readonly root: DevIssued;
  readonly intermediate: DevIssued;
  readonly organisations: readonly DevOrganisation[];
  /** Qualified-looking electronic seal of `sealOrganisation` (QcType eseal, QCP-l-qscd). */
  readonly seal: DevIssued;
  /** Qualified-looking personal signing certificate (QcType esign, QCP-n-qscd). */
  readonly person: DevIssued;
  readonly extras: Readonly<Record<string, DevIssued>>;
  /** CRL of the intermediate: end-entity certificates. */
  readonly crl: DevCrl;
  /** CRL of the root: the intermediate and certificates the root signs directly. */
  readonly rootCrl: DevCrl;
  /** Every issued certificate by handle. */
  readonly issued: ReadonlyMap<string, DevIssued>;
  /** The trust anchor (root certificate) as PEM. */
  readonly trustAnchorPem: string;
  /** Intermediate then root, as PEM. */
  readonly chainPem: string;
  /** The organisation with this id. @throws SecurityError `DEVPKI_NAME_UNKNOWN`. */
  organisation(id: string): DevOrganisation;
}
