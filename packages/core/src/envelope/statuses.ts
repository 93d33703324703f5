// Which answer statuses are final.

import type { AnswerStatus } from './schemas.js';

/** True for every status except `waiting`: a final answer never changes again. */
export function isFinalStatus(status: AnswerStatus): boolean {
  return status !== 'waiting';
}
