// JSON Schemas of the query and answer envelopes; the TypeScript types are derived from them.

import { Type, type Static } from '@sinclair/typebox';

const UUID_V7 = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
// No control characters and no unpaired surrogates: text that every store and log can hold.
const PRINTABLE = '^[^\\p{Cc}\\p{Cs}]+$';

/** Schema of a subject: `{ scheme, id }`. The identifier itself is checked by its scheme. */
export const SubjectSchema = Type.Object(
  {
    scheme: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
    id: Type.String({ minLength: 1, maxLength: 64, pattern: PRINTABLE }),
  },
  { additionalProperties: false },
);

/** Schema of a source id such as `furs.income` or `bank.nlb.balances`. */
export const SourceIdSchema = Type.String({
  pattern: '^[a-z0-9]+(?:[._-][a-z0-9]+)*$',
  maxLength: 128,
});

/** Schema of a purpose code such as `child-benefit`. */
export const PurposeCodeSchema = Type.String({
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  maxLength: 64,
});

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: PRINTABLE });

/**
 * The five facts that justify a query and travel with every one: purpose, legal basis, case,
 * the organisation asking and its official. A query without any of them is refused.
 */
export const PurposeContextSchema = Type.Object(
  {
    purpose: PurposeCodeSchema,
    legalBasis: Text(200),
    case: Text(100),
    organisation: Text(100),
    official: Text(100),
  },
  { additionalProperties: false },
);

/** Schema of a period: inclusive ISO dates. */
export const PeriodSchema = Type.Object(
  { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);

/** Schema of the query envelope: one enquiry to one source about one subject for one purpose. */
export const QueryEnvelopeSchema = Type.Composite(
  [
    PurposeContextSchema,
    Type.Object({
      requestId: Type.String({ pattern: UUID_V7 }),
      issuedAt: Type.String({ format: 'date-time' }),
      source: SourceIdSchema,
      subject: SubjectSchema,
      period: Type.Optional(PeriodSchema),
      referenceDate: Type.Optional(Type.String({ format: 'date' })),
    }),
  ],
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/query-envelope/1' },
);

/**
 * Schema of a batch query: the same enquiry, for the same purpose, to one source about many
 * subjects (the Tray batches per source). Answered by an {@link AnswerBatchSchema}.
 */
export const QueryBatchSchema = Type.Composite(
  [
    PurposeContextSchema,
    Type.Object({
      requestId: Type.String({ pattern: UUID_V7 }),
      issuedAt: Type.String({ format: 'date-time' }),
      source: SourceIdSchema,
      subjects: Type.Array(SubjectSchema, { minItems: 1, maxItems: 10_000 }),
      period: Type.Optional(PeriodSchema),
      referenceDate: Type.Optional(Type.String({ format: 'date' })),
    }),
  ],
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/query-batch/1' },
);

/** The answer statuses; all are final except `waiting`. */
export const ANSWER_STATUSES = [
  'found',
  'not_found',
  'waiting',
  'refused',
  'failed',
  'expired',
] as const;

/** One answer status. */
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** A coded reason for `refused`, `failed` and `expired` answers. */
export const ReasonSchema = Type.Object(
  { code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{2,63}$' }), message: Type.Optional(Text(500)) },
  { additionalProperties: false },
);

const answerCommon = {
  requestId: Type.String({ pattern: UUID_V7 }),
  answeredAt: Type.String({ format: 'date-time' }),
  source: SourceIdSchema,
  subject: SubjectSchema,
  /** Base64url SHA-256 of the exact request bytes this answers, binding the pair. */
  requestHash: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
};

const Version = Type.String({ minLength: 1, maxLength: 64 });

/** One schema per status; the answer schema is their union, checked by status first. */
export const AnswerSchemas = {
  found: Type.Object(
    {
      ...answerCommon,
      status: Type.Literal('found'),
      version: Type.Optional(Version),
      data: Type.Unknown(),
    },
    { additionalProperties: false },
  ),
  not_found: Type.Object(
    { ...answerCommon, status: Type.Literal('not_found'), version: Type.Optional(Version) },
    { additionalProperties: false },
  ),
  waiting: Type.Object(
    {
      ...answerCommon,
      status: Type.Literal('waiting'),
      deadline: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  refused: Type.Object(
    { ...answerCommon, status: Type.Literal('refused'), reason: ReasonSchema },
    { additionalProperties: false },
  ),
  failed: Type.Object(
    { ...answerCommon, status: Type.Literal('failed'), reason: ReasonSchema },
    { additionalProperties: false },
  ),
  expired: Type.Object(
    {
      ...answerCommon,
      status: Type.Literal('expired'),
      reason: ReasonSchema,
      deadline: Type.Optional(Type.String({ format: 'date-time' })),
    },
    { additionalProperties: false },
  ),
} as const;

/** Schema of the answer envelope (a union over the statuses). */
export const AnswerEnvelopeSchema = Type.Union(Object.values(AnswerSchemas), {
  $id: 'https://interop-blocks.eu/schemas/answer-envelope/1',
});

/**
 * Schema of the answer to a batch query: one answer envelope per subject asked, in the order
 * asked, all for the batch's request id.
 */
export const AnswerBatchSchema = Type.Object(
  {
    requestId: Type.String({ pattern: UUID_V7 }),
    answeredAt: Type.String({ format: 'date-time' }),
    source: SourceIdSchema,
    requestHash: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
    answers: Type.Array(AnswerEnvelopeSchema),
  },
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/answer-batch/1' },
);

/** A subject as it travels in envelopes. */
export type SubjectRef = Static<typeof SubjectSchema>;
/** Purpose, legal basis, case, organisation and official of a query. */
export type PurposeContext = Static<typeof PurposeContextSchema>;
/** A period of inclusive ISO dates. */
export type Period = Static<typeof PeriodSchema>;
/** A coded reason. */
export type Reason = Static<typeof ReasonSchema>;
/** The query envelope. */
export type QueryEnvelope = Static<typeof QueryEnvelopeSchema>;
/** A batch query. */
export type QueryBatch = Static<typeof QueryBatchSchema>;
/** The answer to a batch query. */
export type AnswerBatch = Static<typeof AnswerBatchSchema>;
/** The answer envelope, discriminated by `status`. */
export type AnswerEnvelope = Static<typeof AnswerEnvelopeSchema>;
/** The answer envelope of one status. */
export type AnswerOf<S extends AnswerStatus> = Extract<AnswerEnvelope, { status: S }>;
