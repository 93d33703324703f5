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
