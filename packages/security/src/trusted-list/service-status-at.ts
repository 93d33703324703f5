// The status of a trust service at a given time, from its current entry and its history (5.6).

import type { ServiceStatusPeriod, TrustedListService } from './read-services.js';
import {
  EIDAS_APPLICATION_DATE,
  PRE_EIDAS_QUALIFIED_STATUSES,
  SERVICE_STATUS,
  SERVICE_TYPE_CA_QC,
} from './tsl-uris.js';

/** How statuses are read. */
export interface StatusPolicy {
  /**
   * Before 2016-07-01, also take `undersupervision`, `supervisionincessation` and `accredited` as
   * granted (see the README). Default false.
   */
  acceptPreEidasStatuses?: boolean;
}

/**
 * The period in force at `time`: the entry (current or historical) with the latest
 * StatusStartingTime not after `time`; undefined before the service was first listed.
 */
export function periodAt(service: TrustedListService, time: Date): ServiceStatusPeriod | undefined {
  let best: ServiceStatusPeriod | undefined;
  for (const period of [service, ...service.history]) {
    const start = period.statusStartingTime.getTime();
    if (start > time.getTime()) continue;
    if (!best || start > best.statusStartingTime.getTime()) best = period;
  }
  return best;
}

/**
 * True when `service` was a CA issuing qualified certificates (CA/QC) with status granted at
 * `time`.
 */
export function isGrantedCaQcAt(
  service: TrustedListService,
  time: Date,
  policy: StatusPolicy = {},
): boolean {
  const period = periodAt(service, time);
  if (!period || period.type !== SERVICE_TYPE_CA_QC) return false;
  if (period.status === SERVICE_STATUS.granted) return true;

  // eIDAS art. 51(2): qualified certificates issued under Directive 1999/93/EC stay qualified;
  // their issuers were listed with these statuses until lists moved to `granted` on 2016-07-01.
  return (
    policy.acceptPreEidasStatuses === true &&
    time.getTime() < EIDAS_APPLICATION_DATE.getTime() &&
    PRE_EIDAS_QUALIFIED_STATUSES.has(period.status)
  );
}
