// The path validation contract other concerns consume: the function, its options, the validator.

export {
  validateCertificatePath,
  type PathValidationOptions,
  type ValidatedPath,
} from './path-validation.js';
export {
  CertificateValidator,
  type CertificateValidatorOptions,
  type ValidateOptions,
} from './certificate-validator.js';
export type {
  CrlFetchOptions,
  FetchFunction,
  RevocationChecker,
  RevocationMode,
  RevocationOptions,
  RevocationStatus,
} from './revocation.js';
