// Stable error codes of mutual TLS and peer authentication.

/** Codes of mutual TLS and peer authentication: code -> meaning. */
export const TLS_ERROR_CODES = {
  TLS_OPTIONS_INVALID:
    'Mutual TLS options are incomplete or unsafe (no trust anchors, no key or certificate).',
  TLS_NO_CERTIFICATE: 'The peer presented no certificate, or the connection is not TLS.',
  TLS_CERT_UNTRUSTED:
    'The peer chain does not lead to a configured trust anchor or fails path validation.',
  TLS_CERT_EXPIRED: 'A certificate of the peer chain is expired or not yet valid.',
  TLS_CERT_REVOKED: 'A certificate of the peer chain is revoked.',
  TLS_REVOCATION_UNKNOWN: 'The revocation status of the peer chain cannot be determined.',
  TLS_KEY_USAGE:
    'The peer certificate is not meant for this role (key usage or extended key usage).',
  TLS_PRINCIPAL_UNKNOWN: 'The peer certificate is valid but maps to no registered principal.',
} as const;
