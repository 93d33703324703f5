// Error codes of the HTTP API of the waiting rooms (requester and source sides).

/** Codes of refused HTTP requests, with what they mean. */
export const HTTP_ERROR_CODES = {
  ASYNC_CLIENT_UNAUTHENTICATED:
    'The client certificate is missing, untrusted, expired, revoked or unregistered.',
  ASYNC_CONTENT_TYPE: 'A body was not sent with the content type the route takes.',
  ASYNC_BODY_TOO_LARGE: 'A request body exceeds the configured limit.',
  ASYNC_JSON_MALFORMED: 'A request body is not a well-formed JSON object.',
  ASYNC_SIGNATURE_MISSING: 'A signed body carries no JWS in `x-interop-signature`.',
  ASYNC_SIGNATURE_INVALID:
    'A body signature does not verify (the JWS_* code is in context.jwsCode).',
  ASYNC_SIGNER_MISMATCH: 'A body was signed by another organisation than the one connected.',
  ASYNC_BODY_INVALID: 'A body does not have the shape of its route (path and keyword in context).',
  ASYNC_ORGANISATION_MISMATCH: 'A query names another organisation than the one connected.',
  ASYNC_ACCESS_DENIED:
    'The rights of the Security Platform do not allow the action (reason code in context).',
  ASYNC_NOT_ROOM_OWNER: 'The connected principal does not answer for the room of the route.',
  ASYNC_ROUTE_UNKNOWN: 'No such route, room or group.',
  ASYNC_INTERNAL: 'An unexpected error; the request changed nothing and may be retried.',
} as const;
