// The error class of @interop-blocks/tray-sdk and its table of stable codes.

import { InteropError, type InteropErrorOptions } from '@interop-blocks/core';

/**
 * Every code thrown by `@interop-blocks/tray-sdk`, with what it means. The README table is checked
 * against this object by a test.
 */
export const TRAY_ERROR_CODES = {
  TRAY_CATALOGUE_INVALID:
    'A source catalogue does not match its schema, or an answer schema does not compile.',
  TRAY_CATALOGUE_DUPLICATE: 'Two sources of a catalogue have the same id.',
  TRAY_CATALOGUE_MAPPING_INVALID:
    'A source mapping names an invalid JSON pointer or a field the answer schema lacks.',
  TRAY_PROCESS_INVALID: 'A gathering process does not match its schema.',
  TRAY_PROCESS_DUPLICATE: 'Two processes serve one purpose, or two steps of a process share an id.',
  TRAY_PROCESS_UNKNOWN_SOURCE: 'A step asks a source or group the catalogue does not declare.',
  TRAY_PROCESS_UNKNOWN_STEP:
    'A step depends on, or takes its subjects from, a step that does not exist.',
  TRAY_PROCESS_CYCLE: 'The steps of a process depend on each other in a cycle.',
  TRAY_PROCESS_PURPOSE_NOT_SERVED:
    'A step asks a source that may not be asked for the process purpose.',
  TRAY_PROCESS_SUBJECTS_INVALID:
    'A step takes subjects from a step that runs after it or lists no members.',
  // Engine: cases, enquiries and the reasons of final answers
  TRAY_CASE_INVALID: 'A case lacks a required fact, or has a malformed subject or date.',
  TRAY_PURPOSE_UNKNOWN: 'No gathering process serves the purpose of a case.',
  TRAY_CASE_NOT_FOUND: 'No case has the given id.',
  TRAY_CASE_NOT_FINISHED: 'A case is collected before every enquiry is final.',
  TRAY_CONNECTOR_MISSING: 'A source of a process has no connector for its transport.',
  TRAY_ABORTED: 'A call was aborted by its signal, or the Tray was stopped.',
  TRAY_SOURCE_TIMEOUT: 'An attempt took longer than the source timeout.',
  TRAY_SOURCE_UNAVAILABLE:
    'The source stayed unavailable (breaker open, failing) until the deadline.',
  TRAY_ANSWER_INVALID: 'An answer does not fit the mapping or the canonical schema of its source.',
  TRAY_ANSWER_MISSING: 'A connector returned no outcome for an enquiry of its batch.',
  TRAY_ANSWER_EXPIRED: 'A source that answers later did not answer by the deadline.',
  TRAY_CASE_DEADLINE: 'The case deadline passed before the enquiry was answered.',
  TRAY_CASE_CANCELLED: 'The case was cancelled before the enquiry was answered.',
  TRAY_CONNECTOR_FAILED: 'A connector threw instead of reporting an outcome (a connector bug).',
  TRAY_MEMBERS_UNKNOWN: 'A step was skipped: the step listing its members found none to read.',
  // Connectors: reason codes of failed outcomes (also TRAY_SOURCE_TIMEOUT, TRAY_ABORTED above),
  // and the registry's errors.
  TRAY_SOURCE_UNREACHABLE:
    'A source could not be reached: connection refused or reset, TLS failure (retryable).',
  TRAY_SOURCE_ERROR: 'A source answered with a server error, 5xx (retryable).',
  TRAY_SOURCE_THROTTLED: 'A source answered 429 Too Many Requests (retryable).',
  TRAY_SOURCE_REFUSED: 'A source refused the request with a 4xx that carries no code of its own.',
  TRAY_SOURCE_FAULT: 'A SOAP source answered with a Fault that carries no code of its own.',
  TRAY_XROAD_ERROR: 'An X-Road security server reported an error (X-Road-Error header).',
  TRAY_ANSWER_MALFORMED:
    'An answer is not what the protocol prescribes: unparsable, schema-violating or too large.',
  TRAY_ANSWER_SIGNATURE_INVALID:
    'An answer carries no signature, or one that does not verify or is not bound to the request.',
  TRAY_ANSWER_MISMATCH:
    'An answer names another request, source or subject, or answers another number of subjects.',
  TRAY_REQUEST_INVALID:
    'A request could not be built: transport of another kind, bad template, signing failed.',
  TRAY_CONNECTOR_INVALID: 'A custom connector has an invalid or already taken kind.',
} as const;

/** A stable error code of `@interop-blocks/tray-sdk`. */
export type TrayErrorCode = keyof typeof TRAY_ERROR_CODES;

/** An error thrown by `@interop-blocks/tray-sdk`; see {@link TRAY_ERROR_CODES}. */
export class TrayError extends InteropError {
  declare readonly code: TrayErrorCode;

  constructor(code: TrayErrorCode, message: string, options?: InteropErrorOptions) {
    super(code, message, options);
  }
}
