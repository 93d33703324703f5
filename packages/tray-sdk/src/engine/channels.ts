// The diagnostics_channel events of the Tray: one start and one end per enquiry attempt.

import { diagnosticsChannelFor } from '@interop-blocks/core';

/** `interop:tray:enquiry:start`: `{ source, requestId, attempt }`; never personal data. */
export const enquiryStart = diagnosticsChannelFor('tray', 'enquiry', 'start');

/**
 * `interop:tray:enquiry:end`: `{ source, requestId, status, attempt, ms, reason? }`, after each
 * attempt (`status` is the answer status, or `retrying`); never personal data.
 */
export const enquiryEnd = diagnosticsChannelFor('tray', 'enquiry', 'end');

/** `interop:tray:breaker:change`: `{ source, state }` when a source's breaker opens or closes. */
export const breakerChange = diagnosticsChannelFor('tray', 'breaker', 'change');
