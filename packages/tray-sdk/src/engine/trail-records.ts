// Trail records of the Tray: one per attempt sent ("query"), one per final answer ("answer").

import type { AnswerStatus } from '@interop-blocks/core';
import type { TrailRecordInput } from '@interop-blocks/security';
import type { Evidence } from '../connectors/connector.js';
import type { CaseRow, EnquiryRow } from './tables.js';

/** The record of an attempt about to be sent: purpose, legal basis, case and official included. */
export function queryRecord(organisation: string, c: CaseRow, e: EnquiryRow): TrailRecordInput {
  return {
    ...common(organisation, c, e),
    action: 'query',
    details: { step: e.step_id, attempt: e.attempts },
  };
}

/** The record of a final answer, with the hashes binding it to its request. */
export function answerRecord(
  organisation: string,
  c: CaseRow,
  e: EnquiryRow,
  answer: { status: AnswerStatus; reasonCode?: string; evidence?: Evidence; version?: string },
): TrailRecordInput {
  return {
    ...common(organisation, c, e),
    action: 'answer',
    status: answer.status,
    reasonCode: answer.reasonCode,
    requestHash: answer.evidence?.requestHash,
    answerHash: answer.evidence?.answerHash,
    details: {
      step: e.step_id,
      attempt: e.attempts,
      ...(answer.version === undefined ? {} : { version: answer.version }),
    },
  };
}

function common(organisation: string, c: CaseRow, e: EnquiryRow): TrailRecordInput {
  return {
    action: '',
    principal: organisation,
    official: c.official,
    source: e.source,
    subject: { scheme: e.subject_scheme, id: e.subject_id },
    purpose: c.purpose,
    legalBasis: c.legal_basis,
    case: c.case_ref,
    requestId: e.request_id,
  };
}
