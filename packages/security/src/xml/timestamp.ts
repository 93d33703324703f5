// Reads a WS-Security wsu:Timestamp and checks its freshness against a clock.

import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { elementChildren, isElement, leafText } from './dom-helpers.js';
import { WSU_NS } from './xml-namespaces.js';

/** A verified timestamp. */
export interface SoapTimestamp {
  /** The signed wsu:Timestamp element. */
  readonly element: Element;
  readonly created: Date;
  readonly expires: Date;
}

/** How fresh a timestamp must be. */
export interface FreshnessOptions {
  /** Now, in epoch milliseconds. */
  now: number;
  /** Tolerated clock difference between sender and receiver, in ms. */
  clockSkewMs: number;
  /** Oldest accepted Created, in ms before now (on top of the skew). */
  maxAgeMs: number;
}

// xsd:dateTime with a time zone (WSS 1.1 section 10 asks for UTC; an offset is also accepted).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads Created and Expires (WSS 1.1 section 10) and checks them.
 * @throws SecurityError `XML_TIMESTAMP_MISSING`, `XML_TIMESTAMP_MALFORMED`,
 *   `XML_TIMESTAMP_EXPIRED`, `XML_TIMESTAMP_FUTURE`.
 */
export function checkTimestamp(element: Element, options: FreshnessOptions): SoapTimestamp {
  const children = elementChildren(element, 'XML_TIMESTAMP_MALFORMED');
  const created = children.filter((c) => isElement(c, WSU_NS, 'Created'));
  const expires = children.filter((c) => isElement(c, WSU_NS, 'Expires'));
  if (created.length !== 1 || expires.length !== 1) {
    throw new SecurityError(
      'XML_TIMESTAMP_MISSING',
      'The Timestamp needs one Created and Expires.',
    );
  }
  const timestamp = {
    element,
    created: readTime(created[0] as Element),
    expires: readTime(expires[0] as Element),
  };
  if (timestamp.expires < timestamp.created) {
    throw new SecurityError('XML_TIMESTAMP_MALFORMED', 'The Timestamp expires before creation.');
  }

  const { now, clockSkewMs, maxAgeMs } = options;
  const context = {
    created: timestamp.created.toISOString(),
    expires: timestamp.expires.toISOString(),
    now: new Date(now).toISOString(),
  };
  if (timestamp.created.getTime() > now + clockSkewMs) {
    throw new SecurityError('XML_TIMESTAMP_FUTURE', 'The Timestamp was created in the future.', {
      context,
    });
  }
  if (timestamp.expires.getTime() <= now - clockSkewMs) {
    throw new SecurityError('XML_TIMESTAMP_EXPIRED', 'The Timestamp has expired.', { context });
  }
  if (timestamp.created.getTime() < now - clockSkewMs - maxAgeMs) {
    throw new SecurityError('XML_TIMESTAMP_EXPIRED', 'The Timestamp is older than allowed.', {
      context: { ...context, maxAgeMs },
    });
  }
  return timestamp;
}

function readTime(element: Element): Date {
  const text = leafText(element, 'XML_TIMESTAMP_MALFORMED').trim();
  const time = DATE_TIME.test(text) ? new Date(text) : null;
  if (!time || Number.isNaN(time.getTime())) {
    throw new SecurityError('XML_TIMESTAMP_MALFORMED', 'A Timestamp time is not an xsd:dateTime.', {
      context: { element: element.localName },
    });
  }
  return time;
}
