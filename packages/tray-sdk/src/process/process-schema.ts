// JSON Schema of a gathering process: the declared steps of gathering for one purpose.

import { PurposeCodeSchema, SourceIdSchema } from '@interop-blocks/core';
import { Type, type Static } from '@sinclair/typebox';

const StepId = Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' });

/** Whom a step asks about: the applicant, or members listed by an earlier step's answer. */
export const SubjectSelectorSchema = Type.Union([
  Type.Object({ role: Type.Literal('applicant') }, { additionalProperties: false }),
  Type.Object(
    {
      /** The step whose answer lists the members (it must declare `members`). */
      from: StepId,
      /**
       * Only members with these relations to the applicant (`applicant`, `spouse`, `child`, ...).
       */
      relations: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1 }),
      ),
      /** Only members at least / at most this old (whole years) on the application date. */
      minAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
      maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    },
    { additionalProperties: false },
  ),
]);

/**
 * Where an answer lists members: a JSON pointer to an array of
 * `{ scheme, id, relation, birthDate }`.
 */
export const MembersSchema = Type.Object(
  {
    pointer: Type.String({ pattern: '^(/[^/]*)*$' }),
    /** Fields of each member entry; defaults `scheme`, `id`, `relation`, `birthDate`. */
    scheme: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
    relation: Type.Optional(Type.String()),
    birthDate: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One step: which sources (or groups) to ask, about whom, after which steps, for which period. */
export const StepSchema = Type.Object(
  {
    id: StepId,
    after: Type.Optional(Type.Array(StepId, { uniqueItems: true })),
    sources: Type.Optional(Type.Array(SourceIdSchema, { uniqueItems: true })),
    groups: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), { uniqueItems: true }),
    ),
    subjects: SubjectSelectorSchema,
    members: Type.Optional(MembersSchema),
    /** The period asked about, relative to the application date. */
    period: Type.Optional(
      Type.Union([
        Type.Literal('previous-calendar-year'),
        Type.Literal('last-3-months'),
        Type.Literal('last-12-months'),
      ]),
    ),
    /** Ask "as of" the application date (property, balances). */
    referenceDate: Type.Optional(Type.Literal('application-date')),
  },
  { additionalProperties: false },
);

/** A gathering process: the steps for one purpose, on one legal basis. */
export const ProcessSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    purpose: PurposeCodeSchema,
    legalBasis: Type.String({ minLength: 1, maxLength: 200 }),
    /** How long a case may take in all, in ms. */
    deadlineMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 30 * 86_400_000 })),
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/tray-process/1' },
);

/** A step as written. */
export type StepDeclaration = Static<typeof StepSchema>;
/** A process as written. */
export type ProcessDeclaration = Static<typeof ProcessSchema>;
/** Whom a step asks about. */
export type SubjectSelector = Static<typeof SubjectSelectorSchema>;
