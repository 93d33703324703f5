// Namespaces and URIs of ETSI TS 119 612 trusted lists (clause 5 and annex D).

/** Namespace of the TrustServiceStatusList schema (ETSI TS 119 612 annex C). */
export const TSL_NS = 'http://uri.etsi.org/02231/v2#';

/** Service type of a CA issuing qualified certificates (clause 5.5.1.1). */
export const SERVICE_TYPE_CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';

const STATUS = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';

/** Service status values (clause 5.5.4, annex D.5). */
export const SERVICE_STATUS = {
  granted: `${STATUS}granted`,
  withdrawn: `${STATUS}withdrawn`,
  /** Directive 1999/93/EC statuses (TS 119 612 v1), replaced by `granted` on 2016-07-01. */
  undersupervision: `${STATUS}undersupervision`,
  supervisionincessation: `${STATUS}supervisionincessation`,
  accredited: `${STATUS}accredited`,
} as const;

/** The day Regulation (EU) No 910/2014 applied (art. 52(2)) and lists moved to eIDAS statuses. */
export const EIDAS_APPLICATION_DATE = new Date('2016-07-01T00:00:00Z');

/**
 * Pre-eIDAS statuses under which a CA/QC service issued qualified certificates: supervised, in
 * cessation of supervision, or voluntarily accredited (Directive 1999/93/EC art. 3).
 */
export const PRE_EIDAS_QUALIFIED_STATUSES: ReadonlySet<string> = new Set([
  SERVICE_STATUS.undersupervision,
  SERVICE_STATUS.supervisionincessation,
  SERVICE_STATUS.accredited,
]);
