// The XML Schemas in a dataset's WSDL: Query, Answers with the dataset's record, and the refusal.

import { ANSWER_STATUSES } from '@interop-blocks/core';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Dataset } from '../dataset/define-dataset.js';
import { recordElements } from './record-xsd.js';
import { IO_FAULT_NS, XSD_NS, datasetNamespace } from './soap-namespaces.js';

type Attributes = Record<string, string>;

/**
 * Appends to `wsdl:types` the schema of the dataset's namespace (`Query`, `Answers` and their
 * types, the record's children from the record schema) and the schema of the fault refusal.
 */
export function appendWsdlTypes(types: XMLBuilder, dataset: Dataset): void {
  const ns = datasetNamespace(dataset.id);
  const schema = types.ele(XSD_NS, 'xsd:schema', {
    targetNamespace: ns,
    elementFormDefault: 'qualified',
  });
  schema.ele(XSD_NS, 'xsd:element', { name: 'Query', type: 'tns:Query' });
  schema.ele(XSD_NS, 'xsd:element', { name: 'Answers', type: 'tns:Answers' });

  // The Query: core's QueryBatchSchema as elements, in any order.
  const query = complexType(schema, 'Query', 'xsd:all');
  element(query, 'requestId', 'xsd:string');
  element(query, 'issuedAt', 'xsd:dateTime');
  element(query, 'source', 'xsd:string', { fixed: dataset.id });
  for (const name of ['purpose', 'legalBasis', 'case', 'organisation', 'official']) {
    element(query, name, 'xsd:string');
  }
  element(query, 'subjects', 'tns:Subjects');
  element(query, 'period', 'tns:Period', { minOccurs: '0' });
  element(query, 'referenceDate', 'xsd:date', { minOccurs: '0' });

  const subjects = complexType(schema, 'Subjects', 'xsd:sequence');
  element(subjects, 'subject', 'tns:Subject', { maxOccurs: String(dataset.maxBatch) });
  const subject = complexType(schema, 'Subject', 'xsd:sequence');
  element(subject, 'scheme', 'xsd:string');
  element(subject, 'id', 'xsd:string');
  const period = complexType(schema, 'Period', 'xsd:sequence');
  element(period, 'from', 'xsd:date');
  element(period, 'to', 'xsd:date');

  // The Answers: the batch's binding to its request, then one answer per subject asked.
  const answers = complexType(schema, 'Answers', 'xsd:sequence');
  element(answers, 'requestId', 'xsd:string');
  element(answers, 'answeredAt', 'xsd:dateTime');
  element(answers, 'source', 'xsd:string');
  element(answers, 'requestHash', 'xsd:string');
  element(answers, 'answer', 'tns:Answer', { minOccurs: '0', maxOccurs: 'unbounded' });
  const answer = complexType(schema, 'Answer', 'xsd:sequence');
  element(answer, 'subject', 'tns:Subject');
  element(answer, 'status', 'tns:Status');
  element(answer, 'version', 'xsd:string', { minOccurs: '0' });
  element(answer, 'records', 'tns:Records', { minOccurs: '0' });
  element(answer, 'reason', 'tns:Reason', { minOccurs: '0' });
  const status = schema
    .ele(XSD_NS, 'xsd:simpleType', { name: 'Status' })
    .ele(XSD_NS, 'xsd:restriction', { base: 'xsd:string' });
  for (const value of ANSWER_STATUSES) status.ele(XSD_NS, 'xsd:enumeration', { value });
  const records = complexType(schema, 'Records', 'xsd:sequence');
  element(records, 'record', 'tns:Record', { minOccurs: '0', maxOccurs: 'unbounded' });
  // Only the fields the purpose may see appear: every child is optional.
  const record = complexType(schema, 'Record', 'xsd:sequence');
  for (const field of recordElements(dataset)) {
    element(record, field.name, field.type, { minOccurs: '0', nillable: 'true' });
  }
  const reason = complexType(schema, 'Reason', 'xsd:sequence');
  element(reason, 'code', 'xsd:string');
  element(reason, 'message', 'xsd:string', { minOccurs: '0' });

  appendFaultSchema(types);
}

function appendFaultSchema(types: XMLBuilder): void {
  const schema = types.ele(XSD_NS, 'xsd:schema', {
    targetNamespace: IO_FAULT_NS,
    elementFormDefault: 'qualified',
  });
  const refusal = schema
    .ele(XSD_NS, 'xsd:element', { name: 'refusal' })
    .ele(XSD_NS, 'xsd:complexType')
    .ele(XSD_NS, 'xsd:sequence');
  element(refusal, 'code', 'xsd:string');
  element(refusal, 'message', 'xsd:string');
  element(refusal, 'context', 'f:Context', { minOccurs: '0', maxOccurs: 'unbounded' });
  schema
    .ele(XSD_NS, 'xsd:complexType', { name: 'Context' })
    .ele(XSD_NS, 'xsd:simpleContent')
    .ele(XSD_NS, 'xsd:extension', { base: 'xsd:string' })
    .ele(XSD_NS, 'xsd:attribute', { name: 'name', type: 'xsd:string', use: 'required' });
}

function complexType(schema: XMLBuilder, name: string, group: string): XMLBuilder {
  return schema.ele(XSD_NS, 'xsd:complexType', { name }).ele(XSD_NS, group);
}

function element(parent: XMLBuilder, name: string, type: string, extra: Attributes = {}): void {
  parent.ele(XSD_NS, 'xsd:element', { name, type, ...extra });
}
