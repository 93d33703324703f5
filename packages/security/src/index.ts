// Public API of @interop-blocks/security.

export { SECURITY_ERROR_CODES, SecurityError, type SecurityErrorCode } from './errors.js';
