// Encodes QcStatements (ETSI EN 319 412-5 section 4, RFC 3739 3.2.6) for certificates we issue.

import * as asn1js from 'asn1js';
import { QC_STATEMENT_OIDS, QC_TYPE_OIDS } from './qualified-oids.js';

/** A PKI disclosure statement location (ETSI EN 319 412-5 4.3.4 PdsLocation). */
export interface PdsLocation {
  /** An https URL of the disclosure statement. */
  readonly url: string;
  /** ISO 639-1 two-letter language code, lower case. */
  readonly language: string;
}

/** The statements to encode; every field is optional and absent fields are left out. */
export interface QcStatementsInput {
  compliance?: boolean;
  sscd?: boolean;
  types?: readonly (keyof typeof QC_TYPE_OIDS)[];
  pds?: readonly PdsLocation[];
  retentionYears?: number;
  /** ISO 3166 codes of QcCClegislation. */
  legislation?: readonly string[];
  /** RFC 3739 SemanticsInformation of the QCSyntax-v2 statement (ETSI EN 319 412-1 5.1). */
  semanticsIdentifier?: string;
}

/**
 * Encodes QcStatements as the DER value of the extension `1.3.6.1.5.5.7.1.3`.
 *
 * @example
 * ```ts
 * const der = encodeQcStatements({ compliance: true, sscd: true, types: ['eseal'] });
 * ```
 */
export function encodeQcStatements(input: QcStatementsInput): Uint8Array {
  const statements: asn1js.Sequence[] = [];
  const add = (id: string, info?: asn1js.BaseBlock) =>
    statements.push(
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: id }), ...(info ? [info] : [])],
      }),
    );

  // Order as in ETSI EN 319 412-5 annex A: compliance, type, SSCD, PDS, retention, legislation.
  if (input.semanticsIdentifier !== undefined) {
    add(
      QC_STATEMENT_OIDS.pkixQcSyntaxV2,
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: input.semanticsIdentifier })],
      }),
    );
  }
  if (input.compliance) add(QC_STATEMENT_OIDS.qcCompliance);
  if (input.types && input.types.length > 0) {
    add(
      QC_STATEMENT_OIDS.qcType,
      new asn1js.Sequence({
        value: input.types.map((t) => new asn1js.ObjectIdentifier({ value: QC_TYPE_OIDS[t] })),
      }),
    );
  }
  if (input.sscd) add(QC_STATEMENT_OIDS.qcSscd);
  if (input.pds && input.pds.length > 0) {
    add(
      QC_STATEMENT_OIDS.qcPds,
      new asn1js.Sequence({
        value: input.pds.map(
          (p) =>
            new asn1js.Sequence({
              value: [
                new asn1js.IA5String({ value: p.url }),
                new asn1js.PrintableString({ value: p.language }),
              ],
            }),
        ),
      }),
    );
  }
  if (input.retentionYears !== undefined) {
    add(QC_STATEMENT_OIDS.qcRetentionPeriod, new asn1js.Integer({ value: input.retentionYears }));
  }
  if (input.legislation && input.legislation.length > 0) {
    add(
      QC_STATEMENT_OIDS.qcCClegislation,
      new asn1js.Sequence({
        value: input.legislation.map((c) => new asn1js.PrintableString({ value: c })),
      }),
    );
  }

  return new Uint8Array(new asn1js.Sequence({ value: statements }).toBER(false));
}
