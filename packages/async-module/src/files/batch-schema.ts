// The batch files' XSD (schemas/async-batch.xsd) as data: what the strict validator enforces.

/** The namespace of batch files, version 1. */
export const BATCH_NAMESPACE = 'urn:interop-blocks:async:batch:1';

/** A simple type: a restriction of xs:string, or a built-in date type. */
export interface SimpleTypeSpec {
  base: 'xs:string' | 'xs:dateTime' | 'xs:date';
  pattern?: string;
  enumeration?: string[];
  minLength?: number;
  maxLength?: number;
}

/** One element in a sequence, by reference (`ds:Signature` for the XML-DSig signature). */
export interface ElementParticle {
  ref: string;
  min: number;
  max: number | 'unbounded';
}

/** A choice between elements, repeated `min`..`max` times. */
export interface ChoiceParticle {
  choice: string[];
  min: number;
  max: number | 'unbounded';
}

/** An attribute of an element. */
export interface AttributeSpec {
  name: string;
  type: string;
  required: boolean;
}

/** A global element: simple content of `type`, or attributes and an optional sequence. */
export interface ElementSpec {
  type?: string;
  attributes: AttributeSpec[];
  sequence: (ElementParticle | ChoiceParticle)[];
}

const one = (ref: string): ElementParticle => ({ ref, min: 1, max: 1 });
const optional = (ref: string): ElementParticle => ({ ref, min: 0, max: 1 });
const required = (name: string, type: string): AttributeSpec => ({ name, type, required: true });
const simple = (type: string): ElementSpec => ({ type, attributes: [], sequence: [] });

/** The simple types of the XSD, by name. */
export const BATCH_SIMPLE_TYPES: Record<string, SimpleTypeSpec> = {
  RequestId: {
    base: 'xs:string',
    pattern: '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}',
  },
  SourceId: {
    base: 'xs:string',
    pattern: '[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*',
    maxLength: 100,
  },
  Token: { base: 'xs:string', pattern: '[!-~]+', maxLength: 200 },
  Text: { base: 'xs:string', minLength: 1, maxLength: 500 },
  ReasonCode: { base: 'xs:string', pattern: '[A-Z][A-Z0-9_]{2,63}' },
  AnswerStatus: { base: 'xs:string', enumeration: ['found', 'not_found'] },
  FormatVersion: { base: 'xs:string', enumeration: ['1'] },
  JsonText: { base: 'xs:string', minLength: 1, maxLength: 100_000 },
};

/** The global elements of the XSD, by name. */
export const BATCH_ELEMENTS: Record<string, ElementSpec> = {
  RequestBatch: {
    attributes: [
      required('version', 'FormatVersion'),
      required('room', 'SourceId'),
      required('leaseId', 'Token'),
      required('leasedUntil', 'xs:dateTime'),
      required('createdAt', 'xs:dateTime'),
    ],
    sequence: [{ ref: 'Request', min: 0, max: 'unbounded' }, one('ds:Signature')],
  },
  Request: {
    attributes: [
      required('requestId', 'RequestId'),
      required('issuedAt', 'xs:dateTime'),
      required('submittedAt', 'xs:dateTime'),
      required('deadline', 'xs:dateTime'),
    ],
    sequence: [
      one('Subject'),
      one('Purpose'),
      one('LegalBasis'),
      one('Case'),
      one('Organisation'),
      one('Official'),
      optional('Period'),
      optional('ReferenceDate'),
    ],
  },
  Subject: { attributes: [required('scheme', 'Token'), required('id', 'Token')], sequence: [] },
  Purpose: simple('Token'),
  LegalBasis: simple('Text'),
  Case: simple('Text'),
  Organisation: simple('Text'),
  Official: simple('Text'),
  Period: { attributes: [required('from', 'xs:date'), required('to', 'xs:date')], sequence: [] },
  ReferenceDate: simple('xs:date'),
  AnswerBatch: {
    attributes: [
      required('version', 'FormatVersion'),
      required('room', 'SourceId'),
      required('createdAt', 'xs:dateTime'),
    ],
    sequence: [{ choice: ['Answer', 'Decline'], min: 1, max: 'unbounded' }, one('ds:Signature')],
  },
  Answer: {
    attributes: [required('requestId', 'RequestId'), required('status', 'AnswerStatus')],
    sequence: [optional('Version'), optional('Data')],
  },
  Version: simple('Token'),
  Data: simple('JsonText'),
  Decline: {
    attributes: [required('requestId', 'RequestId'), required('code', 'ReasonCode')],
    sequence: [optional('Message')],
  },
  Message: simple('Text'),
};
