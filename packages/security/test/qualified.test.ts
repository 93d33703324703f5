import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDevPki,
  decodeQcStatements,
  describeQualifiedStatus,
  encodeQcStatements,
  parseSemanticIdentifier,
  readCertificatePolicies,
  readQcStatements,
  type DevPki,
} from '../src/index.js';

const NOW = new Date('2026-06-01T10:00:00Z');
const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const seq = (...value: asn1js.BaseBlock[]) => new asn1js.Sequence({ value });
const der = (block: asn1js.BaseBlock) => new Uint8Array(block.toBER(false));
const statement = (id: string, info?: asn1js.BaseBlock) => seq(oid(id), ...(info ? [info] : []));

describe('describeQualifiedStatus on development certificates', () => {
  let pki: DevPki;
  beforeAll(async () => {
    pki = await createDevPki({
      now: NOW,
      organisations: [{ name: 'Agency', id: 'agency', taxNumber: '50223054' }],
      pdsUrl: 'https://pds.example/en',
      extras: [
        {
          name: 'web',
          qcStatements: {
            compliance: true,
            types: ['web'],
            legislation: ['SI'],
            retentionYears: 7,
          },
          policies: ['0.4.0.194112.1.4', '0.4.0.2042.1.7'],
        },
        {
          name: 'qc-garbage',
          rawExtensions: [{ oid: '1.3.6.1.5.5.7.1.3', value: new Uint8Array([0x30, 0x05, 0x06]) }],
        },
        {
          name: 'policies-garbage',
          policies: [],
          rawExtensions: [{ oid: '2.5.29.32', value: new Uint8Array([0x04, 0x01, 0x00]) }],
        },
      ],
    });
  });

  it('reads the seal: qualified, QSCD, eseal, PDS, QCP-l-qscd and the VATSI identifier', () => {
    const status = describeQualifiedStatus(pki.seal.certificate);
    expect(status.qualified).toBe(true);
    expect(status.qscd).toBe(true);
    expect(status.types).toEqual(['eseal']);
    expect(status.pds).toEqual([{ url: 'https://pds.example/en', language: 'en' }]);
    expect(status.retentionYears).toBeUndefined();
    expect(status.policies).toEqual([
      { oid: '0.4.0.194112.1.3', name: 'QCP-l-qscd', qualified: true },
      { oid: '2.999.1.1', qualified: false },
    ]);
    expect(status.semanticIdentifier).toEqual({
      value: 'VATSI-50223054',
      kind: 'legal',
      type: 'VAT',
      country: 'SI',
      reference: '50223054',
    });
    expect(status.statements?.semanticsIdentifier).toBe('0.4.0.194121.1.2');
  });

  it('reads the personal certificate: esign, retention, QCP-n-qscd and the PNOSI identifier', () => {
    const status = describeQualifiedStatus(pki.person.certificate);
    expect(status).toMatchObject({
      qualified: true,
      qscd: true,
      types: ['esign'],
      retentionYears: 10,
    });
    expect(status.policies[0]).toEqual({
      oid: '0.4.0.194112.1.2',
      name: 'QCP-n-qscd',
      qualified: true,
    });
    expect(status.semanticIdentifier).toMatchObject({
      kind: 'natural',
      type: 'PNO',
      country: 'SI',
    });
    expect(status.semanticIdentifier?.reference).toMatch(/^\d{8}$/);
  });

  it('reports a plain TLS client certificate as not qualified, with its organisation identifier', () => {
    const status = describeQualifiedStatus(pki.organisation('agency').client.certificate);
    expect(status).toMatchObject({ qualified: false, qscd: false, types: [], pds: [] });
    expect(status.statements).toBeUndefined();
    expect(status.semanticIdentifier?.value).toBe('VATSI-50223054');
    expect(describeQualifiedStatus(pki.root.certificate).policies).toEqual([]);
    expect(readQcStatements(pki.root.certificate)).toBeUndefined();
  });

  it('reads web certificates, legislation and retention, and names ETSI policies', () => {
    const status = describeQualifiedStatus(pki.extras['web']!.certificate);
    expect(status).toMatchObject({
      qualified: true,
      qscd: false,
      types: ['web'],
      retentionYears: 7,
    });
    expect(status.statements?.legislation).toEqual(['SI']);
    expect(status.policies.map((p) => p.name)).toEqual(['QCP-w', 'OVCP']);
    expect(readCertificatePolicies(pki.intermediate.certificate)).toEqual([
      { oid: '2.5.29.32.0', name: 'anyPolicy', qualified: false },
    ]);
  });

  it('refuses certificates whose QcStatements or policies are garbage, with a code', () => {
    expect(() => describeQualifiedStatus(pki.extras['qc-garbage']!.certificate)).toThrow(
      expect.objectContaining({ code: 'QC_STATEMENTS_MALFORMED' }),
    );
    expect(() => readCertificatePolicies(pki.extras['policies-garbage']!.certificate)).toThrow(
      expect.objectContaining({ code: 'QC_POLICIES_MALFORMED' }),
    );
  });
});

describe('decodeQcStatements', () => {
  it('round-trips what encodeQcStatements writes', () => {
    const input = {
      compliance: true,
      sscd: true,
      types: ['esign', 'eseal'] as const,
      pds: [
        { url: 'https://pds.example/en', language: 'en' },
        { url: 'https://pds.example/sl', language: 'sl' },
      ],
      retentionYears: 15,
      legislation: ['SI', 'HR'],
      semanticsIdentifier: '0.4.0.194121.1.1',
    };
    expect(decodeQcStatements(encodeQcStatements({ ...input, types: [...input.types] }))).toEqual({
      ...input,
      otherTypes: [],
      otherStatements: [],
    });
  });

  it('reads the limit value, the legacy QCSyntax-v1, unknown types and unknown statements', () => {
    const value = seq(
      statement(
        '0.4.0.1862.1.2',
        seq(
          new asn1js.PrintableString({ value: 'EUR' }),
          new asn1js.Integer({ value: 5 }),
          new asn1js.Integer({ value: 3 }),
        ),
      ),
      statement('1.3.6.1.5.5.7.11.1', seq(oid('0.4.0.194121.1.2'))),
      statement('0.4.0.1862.1.6', seq(oid('0.4.0.1862.1.6.9'), oid('0.4.0.1862.1.6.3'))),
      statement('1.2.3.4.5', new asn1js.Utf8String({ value: 'whatever' })),
      statement(
        '0.4.0.1862.1.5',
        seq(
          seq(
            new asn1js.IA5String({ value: 'http://pds.example' }),
            new asn1js.PrintableString({ value: 'EN' }),
          ),
        ),
      ),
    );
    const qc = decodeQcStatements(der(value));
    expect(qc.limitValue).toEqual({ currency: 'EUR', amount: 5, exponent: 3 });
    expect(qc.semanticsIdentifier).toBe('0.4.0.194121.1.2');
    expect(qc.types).toEqual(['web']);
    expect(qc.otherTypes).toEqual(['0.4.0.1862.1.6.9']);
    expect(qc.otherStatements).toEqual(['1.2.3.4.5']);
    expect(qc.pds).toEqual([{ url: 'http://pds.example', language: 'en' }]);
    expect(qc.compliance).toBe(false);
  });

  it.each([
    ['empty input', new Uint8Array()],
    ['random bytes', new Uint8Array([0xde, 0xad, 0xbe, 0xef])],
    ['truncated', der(seq(statement('0.4.0.1862.1.1'))).slice(0, 4)],
    ['trailing bytes', new Uint8Array([...der(seq(statement('0.4.0.1862.1.1'))), 0x00])],
    ['not a SEQUENCE', der(new asn1js.Set({ value: [statement('0.4.0.1862.1.1')] }))],
    ['a statement that is not a SEQUENCE', der(seq(oid('0.4.0.1862.1.1')))],
    ['a statement without OID', der(seq(seq(new asn1js.Integer({ value: 1 }))))],
    [
      'a statement with two values',
      der(
        seq(
          seq(
            oid('0.4.0.1862.1.3'),
            new asn1js.Integer({ value: 1 }),
            new asn1js.Integer({ value: 2 }),
          ),
        ),
      ),
    ],
    ['a repeated statement', der(seq(statement('0.4.0.1862.1.1'), statement('0.4.0.1862.1.1')))],
    ['an empty QcType', der(seq(statement('0.4.0.1862.1.6', seq())))],
    ['a QcType without value', der(seq(statement('0.4.0.1862.1.6')))],
    [
      'a QcType of integers',
      der(seq(statement('0.4.0.1862.1.6', seq(new asn1js.Integer({ value: 1 }))))),
    ],
    [
      'a PDS with an ftp URL',
      der(
        seq(
          statement(
            '0.4.0.1862.1.5',
            seq(
              seq(
                new asn1js.IA5String({ value: 'ftp://x.example' }),
                new asn1js.PrintableString({ value: 'en' }),
              ),
            ),
          ),
        ),
      ),
    ],
    [
      'a PDS without language',
      der(
        seq(
          statement(
            '0.4.0.1862.1.5',
            seq(seq(new asn1js.IA5String({ value: 'https://x.example' }))),
          ),
        ),
      ),
    ],
    [
      'a PDS with a 3-letter language',
      der(
        seq(
          statement(
            '0.4.0.1862.1.5',
            seq(
              seq(
                new asn1js.IA5String({ value: 'https://x.example' }),
                new asn1js.PrintableString({ value: 'eng' }),
              ),
            ),
          ),
        ),
      ),
    ],
    [
      'a negative retention period',
      der(seq(statement('0.4.0.1862.1.3', new asn1js.Integer({ value: -1 })))),
    ],
    [
      'a retention period as text',
      der(seq(statement('0.4.0.1862.1.3', new asn1js.Utf8String({ value: '10' })))),
    ],
    ['an empty SemanticsInformation', der(seq(statement('1.3.6.1.5.5.7.11.2', seq())))],
    [
      'a lower-case legislation country',
      der(seq(statement('0.4.0.1862.1.7', seq(new asn1js.PrintableString({ value: 'si' }))))),
    ],
    [
      'a limit value without currency',
      der(
        seq(
          statement(
            '0.4.0.1862.1.2',
            seq(new asn1js.Integer({ value: 1 }), new asn1js.Integer({ value: 1 })),
          ),
        ),
      ),
    ],
  ])('refuses %s with QC_STATEMENTS_MALFORMED', (_name, bytes) => {
    expect(() => decodeQcStatements(bytes)).toThrow(
      expect.objectContaining({ code: 'QC_STATEMENTS_MALFORMED' }),
    );
  });
});

describe('parseSemanticIdentifier', () => {
  it.each([
    ['VATSI-12345678', 'legal', 'VAT', 'SI', '12345678'],
    ['NTRSI-1234567000', 'legal', 'NTR', 'SI', '1234567000'],
    ['PSDES-BDE-3DFD21', 'legal', 'PSD', 'ES', 'BDE-3DFD21'],
    ['LEIXG-529900T8BM49AURSDO55', 'legal', 'LEI', 'XG', '529900T8BM49AURSDO55'],
    ['PNOSI-0101006500006', 'natural', 'PNO', 'SI', '0101006500006'],
    ['TINSI-50223054', 'natural', 'TIN', 'SI', '50223054'],
    ['IDCSI-001234567', 'natural', 'IDC', 'SI', '001234567'],
    ['PASSK-P3000180', 'natural', 'PAS', 'SK', 'P3000180'],
  ] as const)('reads %s', (value, kind, type, country, reference) => {
    expect(parseSemanticIdentifier(value)).toEqual({ value, kind, type, country, reference });
    expect(parseSemanticIdentifier(value, kind).kind).toBe(kind);
  });

  it('reads national schemes only when the kind is given', () => {
    expect(parseSemanticIdentifier('EI:SE-200007292386', 'natural')).toMatchObject({
      kind: 'natural',
      type: 'EI:',
      country: 'SE',
      reference: '200007292386',
    });
    expect(() => parseSemanticIdentifier('EI:SE-200007292386')).toThrow(
      expect.objectContaining({ code: 'QC_SEMANTIC_IDENTIFIER_INVALID' }),
    );
  });

  it.each([
    ['VAT-12345678'],
    ['VATSI12345678'],
    ['vatsi-12345678'],
    ['VATSI-'],
    ['XYZSI-123'],
    ['VATS1-123'],
    [''],
    ['VATSI- 123'],
  ])('refuses %j without echoing it', (value) => {
    try {
      parseSemanticIdentifier(value);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'QC_SEMANTIC_IDENTIFIER_INVALID' });
      if (value.length > 3) expect(JSON.stringify(err) + String(err)).not.toContain(value);
    }
  });

  it('refuses a person identifier where an organisation one is expected, and back', () => {
    expect(() => parseSemanticIdentifier('PNOSI-0101006500006', 'legal')).toThrow(
      expect.objectContaining({ code: 'QC_SEMANTIC_IDENTIFIER_INVALID' }),
    );
    expect(() => parseSemanticIdentifier('VATSI-12345678', 'natural')).toThrow(
      expect.objectContaining({ code: 'QC_SEMANTIC_IDENTIFIER_INVALID' }),
    );
  });
});
