// Progress of one case as an async iterator over the Tray's events.

import type { EventEmitter } from 'node:events';
import { TrayError } from '../errors.js';
import type { TrayEvent } from './types.js';

/**
 * Yields the events of one case as they happen, until the case is finished or cancelled, or the
 * signal aborts (then it throws `TRAY_ABORTED`). Events come from this process only; `wait`
 * also sees cases other processes finish.
 */
export async function* caseProgress(
  events: EventEmitter,
  caseId: string,
  signal?: AbortSignal,
): AsyncGenerator<TrayEvent, void, undefined> {
  const queue: TrayEvent[] = [];
  let notify: (() => void) | undefined;
  const onEvent = (event: TrayEvent) => {
    if (event.caseId !== caseId) return;
    queue.push(event);
    notify?.();
  };
  const onAbort = () => notify?.();
  events.on('event', onEvent);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw new TrayError('TRAY_ABORTED', 'Progress was aborted.');
      const event = queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => (notify = resolve));
        notify = undefined;
        continue;
      }
      yield event;
      if (event.type === 'case') return;
    }
  } finally {
    events.off('event', onEvent);
    signal?.removeEventListener('abort', onAbort);
  }
}
