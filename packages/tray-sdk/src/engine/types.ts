// The public types of the enquirer's API: a case as opened, progress events, the collected result.

import type { Clock, Logger, Period, Reason, Store, SubjectRef } from '@interop-blocks/core';
import type { TrailAppender } from '@interop-blocks/security';
import type { Catalogue } from '../catalogue/define-catalogue.js';
import type { Connector, Evidence } from '../connectors/connector.js';
import type { GatheringProcess } from '../process/define-process.js';
import type { CaseStatus, EnquiryStatus, FinalEnquiryStatus } from './tables.js';

/** What the enquirer knows when it opens a case. */
export interface CaseInput {
  /** Why the data is asked, e.g. `child-benefit`; selects the gathering process. */
  purpose: string;
  /** Defaults to the process's legal basis. */
  legalBasis?: string;
  /** The case reference as the enquirer knows it, e.g. `CSD-2026-0042`. */
  caseReference: string;
  /** Defaults to the Tray's organisation. */
  organisation?: string;
  /** The official (user) asking. */
  official: string;
  /** The person who applied. */
  applicant: SubjectRef;
  /** ISO date (`YYYY-MM-DD`) of the application; periods and ages are computed from it. */
  applicationDate: string;
  /** Epoch ms by which every enquiry must be final; defaults to the process's `deadlineMs`. */
  deadline?: number;
}

/** A case as stored. */
export interface CaseView {
  id: string;
  purpose: string;
  legalBasis: string;
  caseReference: string;
  organisation: string;
  official: string;
  applicationDate: string;
  deadline: number;
  status: CaseStatus;
  createdAt: number;
  finishedAt?: number;
}

/** Progress of a case, as events and as an async iterator. */
export type TrayEvent =
  | {
      type: 'enquiry';
      caseId: string;
      requestId: string;
      step: string;
      source: string;
      status: EnquiryStatus;
      attempt: number;
      reason?: string;
    }
  | { type: 'step'; caseId: string; step: string; status: 'planned' | 'skipped'; enquiries: number }
  | { type: 'case'; caseId: string; status: CaseStatus };

/** One answer of a collected case. */
export interface CollectedAnswer {
  requestId: string;
  step: string;
  source: string;
  status: FinalEnquiryStatus;
  /** Canonical records (validated); present for `found` until the first collection. */
  records?: unknown[];
  /** The version of the data copy the source answered from. */
  version?: string;
  evidence?: Evidence;
  reason?: Reason;
  period?: Period;
  referenceDate?: string;
  attempts: number;
  ms?: number;
}

/** The answers about one subject, by source. */
export interface CollectedSubject {
  subject: SubjectRef;
  answers: CollectedAnswer[];
}

/** The result of a case: every answer, grouped by subject, and how each step went. */
export interface CollectedCase {
  case: CaseView;
  subjects: CollectedSubject[];
  steps: { id: string; status: 'planned' | 'skipped'; enquiries: number; reason?: string }[];
  /** True when the payloads were already handed out earlier (only metadata is left). */
  alreadyCollected: boolean;
}

/** Options of {@link openTray}. */
export interface TrayOptions {
  store: Store;
  catalogue: Catalogue;
  /** The processes by purpose (`defineProcesses`), or a list of them. */
  processes: ReadonlyMap<string, GatheringProcess> | readonly GatheringProcess[];
  /**
   * One connector per transport kind (`custom` transports by their `connector` name): a list, or
   * the map `createConnectors` returns.
   */
  connectors: readonly Connector[] | ReadonlyMap<string, Connector>;
  /** Where every enquiry and answer is recorded. */
  trail: TrailAppender;
  /** The enquiring organisation (trail principal, default of each case). */
  organisation: string;
  clock?: Clock;
  /** Names this process in leases; default a random id. */
  workerId?: string;
  logger?: Logger;
  /**
   * How often idle workers look for work other processes left or leases that ran out. Default 250
   * ms.
   */
  pollMs?: number;
  /** How often sources that answer later are asked for answers. Default 1000 ms. */
  collectEveryMs?: number;
}
