// Stable error codes of the waiting rooms (submit, lease, answer, deliver, sweep).

/** Codes of the waiting rooms: code -> meaning. */
export const ROOMS_ERROR_CODES = {
  ASYNC_OPTIONS_INVALID:
    'The rooms, groups, lateness shares or call options (max, visibility, limit) are not valid.',
  ASYNC_ROOM_UNKNOWN: 'The room (source id) or group is not declared.',
  ASYNC_SOURCE_FORBIDDEN:
    'The principal is not the owner of the room it leases from or answers for.',
  ASYNC_SUBMIT_INVALID:
    'A submission is not valid (query envelope, deadline, callback URL); nothing was stored.',
  ASYNC_REQUEST_UNKNOWN: 'No request or group request with this id exists.',
  ASYNC_REQUEST_FOREIGN: 'The request belongs to another room or another requester.',
  ASYNC_REQUEST_EXPIRED: 'The request passed its deadline; it was or will be answered `expired`.',
  ASYNC_REQUEST_CANCELLED: 'The requester cancelled the request.',
  ASYNC_REQUEST_FINAL:
    'The request already has a different final answer (or was declined); the first one stands.',
  ASYNC_ANSWER_INVALID: "The answer's data does not match the room's answer schema.",
  ASYNC_LEASE_UNKNOWN: 'The lease does not exist, is not held by this source, or has expired.',
  ASYNC_CURSOR_INVALID: 'The cursor was not issued by `pull`.',
  ASYNC_DEADLINE_PASSED: 'The reason code of an `expired` answer: nobody answered in time.',
} as const;
