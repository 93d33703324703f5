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
