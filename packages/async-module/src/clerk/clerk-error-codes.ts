// Error codes of the clerk's web page.

/** Codes of the clerk page, with what they mean. */
export const CLERK_ERROR_CODES = {
  ASYNC_CLERK_FORBIDDEN: 'The person connected is not a clerk of the room owner.',
  ASYNC_CLERK_CSRF:
    'A form was posted without the session token of the page, or from another origin.',
  ASYNC_CLERK_FORM_INVALID:
    'A submitted answer does not match the answer schema of the room (field in context).',
} as const;
