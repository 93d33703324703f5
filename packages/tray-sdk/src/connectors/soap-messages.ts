// Builds the SOAP request of an enquiry and reads SOAP answers and Faults into outcomes.

import { create } from 'xmlbuilder2';
import type { Enquiry, Evidence, RawOutcome } from './connector.js';
import type { Failure } from './outcomes.js';
import { elementsOf, listOf, xmlToJson, type XmlNodeLike } from './xml-to-json.js';

const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const REASON_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

/**
 * The operation element of an enquiry, in the source's namespace (document/literal): its text
 * facts (`requestId`, `issuedAt`, `source`, the five justifying facts, `referenceDate`), the
 * subject as `subjects/subject(scheme, id)` and `period(from, to)`. The shape is the IO-Module
 * SOAP binding's `Query`, so an IO-Module is reachable over SOAP as well.
 */
export function soapPayload(enquiry: Enquiry, operation: string, namespace: string): string {
  const op = create().ele(namespace, `q:${operation}`);
  const text = (name: string, value: string | undefined) => {
    if (value !== undefined) op.ele(namespace, `q:${name}`).txt(value);
  };
  text('requestId', enquiry.requestId);
  text('issuedAt', enquiry.issuedAt);
  text('source', enquiry.source);
  text('purpose', enquiry.purpose);
  text('legalBasis', enquiry.legalBasis);
  text('case', enquiry.case);
  text('organisation', enquiry.organisation);
  text('official', enquiry.official);
  text('referenceDate', enquiry.referenceDate);
  const subject = op.ele(namespace, 'q:subjects').ele(namespace, 'q:subject');
  subject.ele(namespace, 'q:scheme').txt(enquiry.subject.scheme);
  subject.ele(namespace, 'q:id').txt(enquiry.subject.id);
  if (enquiry.period) {
    const period = op.ele(namespace, 'q:period');
    period.ele(namespace, 'q:from').txt(enquiry.period.from);
    period.ele(namespace, 'q:to').txt(enquiry.period.to);
  }
  return op.end({ headless: true });
}

/** The soap:Fault of a parsed (unsigned) envelope, if its Body holds one. */
export function findFault(document: { documentElement: XmlNodeLike | null }): XmlNodeLike | null {
  const envelope = document.documentElement;
  if (!envelope || envelope.namespaceURI !== SOAP11_NS) return null;
  const body = elementsOf(envelope).find(
    (e) => e.namespaceURI === SOAP11_NS && e.localName === 'Body',
  );
  const fault = body && elementsOf(body)[0];
  return fault && fault.namespaceURI === SOAP11_NS && fault.localName === 'Fault' ? fault : null;
}

/**
 * The failure a Fault stands for (SOAP 1.1 section 4.4): the code of a `detail` refusal or the
 * dotted part of `faultcode` after `Client.`/`Server.` when it is a valid code, else
 * `TRAY_SOURCE_FAULT`. `Server` faults may pass with time; `Client` ones will not.
 */
export function faultFailure(fault: XmlNodeLike): Failure {
  const json = xmlToJson(fault) as Record<string, unknown>;
  const faultcode = typeof json.faultcode === 'string' ? json.faultcode : '';
  const local = faultcode.includes(':') ? faultcode.slice(faultcode.indexOf(':') + 1) : faultcode;
  const [kind = '', ...rest] = local.split('.');
  const detail = json.detail as Record<string, unknown> | undefined;
  const refusal = detail?.refusal as Record<string, unknown> | undefined;
  const candidates = [refusal?.code, rest.join('.')];
  const own = candidates.find((c): c is string => typeof c === 'string' && REASON_CODE.test(c));
  const message = typeof json.faultstring === 'string' ? json.faultstring : 'SOAP Fault.';
  return { code: own ?? 'TRAY_SOURCE_FAULT', message, retryable: kind === 'Server' };
}

/**
 * The outcome of a verified answer payload. An IO-Module style `Answers/answer` gives its status
 * (found records, not found, refused or failed with their reason); any other payload is `found`
 * with its JSON, and an empty payload element is `not_found`.
 */
export function outcomeOfPayload(
  requestId: string,
  payload: XmlNodeLike,
  evidence: Evidence,
): RawOutcome {
  const json = xmlToJson(payload);
  if (json === '' || json === null) return { requestId, status: 'not_found', evidence };
  const answer = listOf((json as Record<string, unknown>).answer)[0] as
    Record<string, unknown> | undefined;
  if (typeof answer !== 'object' || answer === null || typeof answer.status !== 'string') {
    return { requestId, status: 'found', data: json, evidence };
  }

  const version = typeof answer.version === 'string' ? { version: answer.version } : {};
  const reason = reasonOf(answer.reason);
  switch (answer.status) {
    case 'found': {
      const records = answer.records as Record<string, unknown> | undefined;
      const data = listOf(records?.record);
      return { requestId, status: 'found', data, ...version, evidence };
    }
    case 'not_found':
      return { requestId, status: 'not_found', ...version, evidence };
    case 'refused':
      return { requestId, status: 'refused', reason, evidence };
    default:
      return { requestId, status: 'failed', reason, retryable: false };
  }
}

function reasonOf(value: unknown): { code: string; message?: string } {
  const reason = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const code =
    typeof reason.code === 'string' && REASON_CODE.test(reason.code)
      ? reason.code
      : 'TRAY_ANSWER_MALFORMED';
  return typeof reason.message === 'string' && reason.message !== ''
    ? { code, message: reason.message.slice(0, 500) }
    : { code };
}
