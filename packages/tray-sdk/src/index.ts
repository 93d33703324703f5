// Public API of @interop-blocks/tray-sdk.

export { TRAY_ERROR_CODES, TrayError, type TrayErrorCode } from './errors.js';

// Catalogue and processes
export {
  CatalogueSchema,
  LimitsSchema,
  MappingSchema,
  SourceDeclarationSchema,
  TransportSchema,
  type CatalogueDeclaration,
  type Limits,
  type Mapping,
  type SourceDeclaration,
  type Transport,
} from './catalogue/catalogue-schema.js';
export {
  DEFAULT_LIMITS,
  defineCatalogue,
  type Catalogue,
  type Source,
} from './catalogue/define-catalogue.js';
export {
  MembersSchema,
  ProcessSchema,
  StepSchema,
  SubjectSelectorSchema,
  type ProcessDeclaration,
  type StepDeclaration,
  type SubjectSelector,
} from './process/process-schema.js';
export {
  defineProcess,
  defineProcesses,
  type GatheringProcess,
  type Step,
} from './process/define-process.js';

// Engine: durable cases and enquiries, policies, the enquirer's API
export { openTray, type Tray } from './engine/open-tray.js';
export { TRAY_MIGRATIONS } from './engine/migrations.js';
export type {
  CaseInput,
  CaseView,
  CollectedAnswer,
  CollectedCase,
  CollectedSubject,
  TrayEvent,
  TrayOptions,
} from './engine/types.js';
export type { CaseStatus, EnquiryStatus, FinalEnquiryStatus } from './engine/tables.js';

// Connectors
export type {
  Connector,
  ConnectorContext,
  Enquiry,
  Evidence,
  RawOutcome,
} from './connectors/connector.js';
export {
  BUILT_IN_KINDS,
  closeConnectors,
  connectorFor,
  createConnectors,
  type ConnectorsOptions,
} from './connectors/create-connectors.js';
export { SourcePools, type PoolOptions } from './connectors/source-pools.js';
export {
  createIoModuleConnector,
  type IoModuleConnectorOptions,
} from './connectors/io-module-connector.js';
export { createRestConnector } from './connectors/rest-connector.js';
export { createSoapConnector, type SoapConnectorOptions } from './connectors/soap-connector.js';
export { createXRoadConnector, encodeXRoadId } from './connectors/xroad-connector.js';
export { createAsyncConnector, type AsyncConnectorOptions } from './connectors/async-connector.js';
export {
  createAsyncCallbackReceiver,
  type AsyncCallbackReceiver,
  type AsyncCallbackReceiverOptions,
} from './connectors/async-callback-receiver.js';
