// Row types of the Tray's tables (namespace `tray`): cases, their planned steps, their enquiries.

/** Statuses an enquiry passes through before it is final. */
export type OpenEnquiryStatus = 'pending' | 'in-flight' | 'waiting';

/** Final statuses of an enquiry, as in core's answer envelope (all but `waiting`). */
export type FinalEnquiryStatus = 'found' | 'not_found' | 'refused' | 'failed' | 'expired';

/** Every status an enquiry row may hold. */
export type EnquiryStatus = OpenEnquiryStatus | FinalEnquiryStatus;

/** The statuses of a case. */
export type CaseStatus = 'open' | 'finished' | 'cancelled';

/** The final statuses, for SQL `in (...)` lists. */
export const FINAL_STATUSES: readonly FinalEnquiryStatus[] = [
  'found',
  'not_found',
  'refused',
  'failed',
  'expired',
];

/** Open statuses, for SQL `in (...)` lists. */
export const OPEN_STATUSES: readonly OpenEnquiryStatus[] = ['pending', 'in-flight', 'waiting'];

/** One case: one run of a gathering process. Times are epoch ms. */
export interface CaseRow {
  id: string;
  purpose: string;
  legal_basis: string;
  case_ref: string;
  organisation: string;
  official: string;
  applicant_scheme: string;
  applicant_id: string;
  application_date: string;
  deadline: number;
  status: CaseStatus;
  created_at: number;
  finished_at: number | null;
  collected_at: number | null;
}

/** A step of a case that has been planned: its enquiries exist, or it was skipped with a reason. */
export interface StepRow {
  case_id: string;
  step_id: string;
  status: 'planned' | 'skipped';
  reason_code: string | null;
  enquiries: number;
  planned_at: number;
}

/** One enquiry: one question to one source about one subject. Times are epoch ms. */
export interface EnquiryRow {
  request_id: string;
  case_id: string;
  step_id: string;
  source: string;
  subject_scheme: string;
  subject_id: string;
  period_from: string | null;
  period_to: string | null;
  reference_date: string | null;
  status: EnquiryStatus;
  attempts: number;
  next_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  deadline: number;
  /** Canonical records as JSON text, kept until the enquirer collects them. */
  payload: string | null;
  data_version: string | null;
  /** Evidence hashes as JSON text. */
  evidence: string | null;
  reason_code: string | null;
  created_at: number;
  first_sent_at: number | null;
  finished_at: number | null;
  /** Time from the first send to the final answer. */
  ms: number | null;
  /** Incremented on every change; conditional updates compare it. */
  version: number;
  /** The worker that recorded the final answer. */
  recorded_by: string | null;
  /** 1 once the final answer is in the trail. */
  trailed: number;
}

/** The Tray's database, as Kysely sees it. */
export interface TrayDb {
  tray_case: CaseRow;
  tray_step: StepRow;
  tray_enquiry: EnquiryRow;
}
