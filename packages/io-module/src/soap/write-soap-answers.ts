// Writes a batch answer as the SOAP binding's Answers element, in a signed SOAP 1.1 envelope.

import type { AnswerBatch, AnswerEnvelope, Clock } from '@interop-blocks/core';
import { signSoapEnvelope } from '@interop-blocks/security';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Dataset } from '../dataset/define-dataset.js';
import type { SoapBindingOptions } from './soap-binding-options.js';
import { SOAP11_NS, XSI_NS, datasetNamespace } from './soap-namespaces.js';

/** XML 1.0 cannot carry some characters (XML 1.0 section 2.2); they are written as U+FFFD. */
export const UNREPRESENTABLE_CHARACTER = '\uFFFD';

// The answer is ours and may be large (maxBatch subjects with all their records).
const ANSWER_MAX_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * Builds `soap:Envelope/soap:Body/Answers` in the dataset's namespace and signs it with the
 * owner's key (WS-Security: one signature over the Body and a Timestamp). `Answers` holds the
 * batch's requestId, answeredAt, source and requestHash (base64url SHA-256 of the exact request
 * bytes, binding answer to request), then one `answer` per subject in the order asked:
 * subject(scheme, id), status, version, records/record (one element per released field, in the
 * record schema's order, the value as text; `xsi:nil` for null) and reason(code, message).
 *
 * @returns The signed envelope, as sent.
 * @throws SecurityError `XML_SIGN_FAILED`, `XML_KEY_TYPE_MISMATCH` for an unusable owner key.
 */
export function writeSoapAnswers(
  answers: AnswerBatch,
  dataset: Dataset,
  soap: SoapBindingOptions,
  clock: Clock,
): string {
  const ns = datasetNamespace(dataset.id);
  const order = Object.keys(dataset.declaration.recordSchema.properties);
  // TODO(io-soap): text that XML 1.0 cannot carry (C0 controls, lone surrogates) is replaced by
  // U+FFFD in SOAP answers; JSON answers carry it unchanged. Loads could refuse such text instead.
  const body = create({ invalidCharReplacement: UNREPRESENTABLE_CHARACTER })
    .ele(SOAP11_NS, 'soap:Envelope')
    .ele(SOAP11_NS, 'soap:Header')
    .up()
    .ele(SOAP11_NS, 'soap:Body');

  const root = body.ele(ns, 'io:Answers');
  root.att('http://www.w3.org/2000/xmlns/', 'xmlns:xsi', XSI_NS);
  text(root, ns, 'requestId', answers.requestId);
  text(root, ns, 'answeredAt', answers.answeredAt);
  text(root, ns, 'source', answers.source);
  text(root, ns, 'requestHash', answers.requestHash ?? '');
  for (const answer of answers.answers) writeAnswer(root.ele(ns, 'io:answer'), ns, answer, order);

  return signSoapEnvelope(body.end({ headless: true }), {
    privateKey: soap.privateKey,
    certificates: soap.certificates,
    keyInfo: soap.keyInfo ?? 'x509-data',
    timestampTtlSeconds: soap.answerTtlSeconds,
    clock,
    maxBytes: ANSWER_MAX_BYTES,
  });
}

function writeAnswer(
  element: XMLBuilder,
  ns: string,
  answer: AnswerEnvelope,
  order: readonly string[],
): void {
  const subject = element.ele(ns, 'io:subject');
  text(subject, ns, 'scheme', answer.subject.scheme);
  text(subject, ns, 'id', answer.subject.id);
  text(element, ns, 'status', answer.status);
  if ('version' in answer && answer.version !== undefined) {
    text(element, ns, 'version', answer.version);
  }
  if (answer.status === 'found') {
    const records = element.ele(ns, 'io:records');
    const list = Array.isArray(answer.data) ? (answer.data as Record<string, unknown>[]) : [];
    for (const record of list) writeRecord(records.ele(ns, 'io:record'), ns, record, order);
  }
  if ('reason' in answer) {
    const reason = element.ele(ns, 'io:reason');
    text(reason, ns, 'code', answer.reason.code);
    if (answer.reason.message !== undefined) text(reason, ns, 'message', answer.reason.message);
  }
}

// Field names are declared fields a purpose may see: XML names by the declaration's pattern.
function writeRecord(
  element: XMLBuilder,
  ns: string,
  record: Record<string, unknown>,
  order: readonly string[],
): void {
  for (const field of order) {
    if (!Object.hasOwn(record, field)) continue;
    const value = record[field];
    const child = element.ele(ns, `io:${field}`);
    if (value === null || value === undefined) child.att(XSI_NS, 'xsi:nil', 'true');
    else child.txt(valueText(value));
  }
}

/** A record value as text: strings as they are, numbers and booleans in JSON form, else JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function text(parent: XMLBuilder, ns: string, name: string, value: string): void {
  parent.ele(ns, `io:${name}`).txt(value);
}
