// Public API of @interop-blocks/io-module.

export { IO_ERROR_CODES, IoError, type IoErrorCode } from './errors.js';

export {
  DatasetDeclarationSchema,
  PurposeFieldsSchema,
  SubjectKeySchema,
  type DatasetDeclaration,
  type RecordSchema,
} from './dataset/declaration-schema.js';
export { defineDataset, defineDatasets, type Dataset } from './dataset/define-dataset.js';
export { projectFields } from './dataset/project-fields.js';

export {
  DistributionCopy,
  openDistributionCopy,
  type DistributionCopyOptions,
  type LookupOptions,
  type LookupResult,
} from './copy/distribution-copy.js';
export type { LoadOptions, LoadReport } from './copy/load-version.js';
export type { Change, ChangeOptions, ChangeReport } from './copy/apply-changes.js';
export type { LoadFormat, LoadInput } from './copy/read-input.js';
export type { RecordProblem } from './copy/record-rows.js';
export type { VersionInfo } from './copy/version-lifecycle.js';
export { ioMigrations } from './copy/migrations.js';

export {
  IoQueryService,
  type IoQueryServiceOptions,
  type QueryInput,
  type QueryOutput,
  type SoapQueryInput,
  type SoapQueryOutput,
} from './service/query-service.js';
export type { RateLimit } from './service/rate-limiter.js';
export type { RefusalBody } from './service/refusal.js';
export { SIGNATURE_HEADER, ioModulePlugin, type IoModulePluginOptions } from './http/io-plugin.js';
export { createIoServer, type IoServer, type IoServerOptions } from './http/create-io-server.js';
export { buildOpenApi } from './http/openapi.js';

export type { SoapBindingOptions } from './soap/soap-binding-options.js';
export { buildWsdl } from './soap/build-wsdl.js';
export { IO_FAULT_NS, datasetNamespace } from './soap/soap-namespaces.js';
