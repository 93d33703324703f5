// The query service, independent of transport: checks, authorises, answers, signs and trails a
// query.

import {
  createDefaultSchemes,
  systemClock,
  type AnswerBatch,
  type Clock,
  type IdentifierSchemes,
  type QueryBatch,
} from '@interop-blocks/core';
import {
  organisationOf,
  requestHash,
  type JwsSigner,
  type JwsVerifier,
  type Principal,
  type Rights,
  type TrailAppender,
} from '@interop-blocks/security';
import type { DistributionCopy } from '../copy/distribution-copy.js';
import type { Dataset } from '../dataset/define-dataset.js';
import { IoError } from '../errors.js';
import { readSoapQuery } from '../soap/read-soap-query.js';
import type { SoapBindingOptions } from '../soap/soap-binding-options.js';
import { writeSoapAnswers } from '../soap/write-soap-answers.js';
import { buildAnswers, type AnswerPlan } from './build-answers.js';
import { checkBatch } from './check-batch.js';
import { parseJsonObject, verifyJwsQuery } from './json-binding.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { trailQuery, trailRefusal, type QueryBinding } from './trail-query.js';

/** What the service needs: the copy, the Security Platform's rights, trail and signatures. */
export interface IoQueryServiceOptions {
  copy: DistributionCopy;
  rights: Rights;
  trail: TrailAppender;
  /** Signs answers with the owner's key (JWS, bound to the request by hash). */
  signer: JwsSigner;
  /**
   * Verifies query signatures; its `resolvePrincipal` maps the signer to a registered principal.
   */
  verifier: JwsVerifier<Principal>;
  /** The SOAP 1.1 binding (XML-DSig both ways); without it only JSON queries are served. */
  soap?: SoapBindingOptions;
  schemes?: IdentifierSchemes;
  clock?: Clock;
  /** Default rate limit per consumer, in subjects per second; none when absent. */
  rateLimit?: RateLimit;
  /** Rate limits of named consumers (by principal id). */
  consumerRateLimits?: ReadonlyMap<string, RateLimit>;
  /** Largest SOAP envelope accepted, in bytes. Default 1 MiB. */
  maxSoapBytes?: number;
}

/** One query as received: who is connected, to which dataset, the exact bytes and signature. */
export interface QueryInput {
  consumer: Principal;
  dataset: string;
  body: Buffer;
  signature: string | undefined;
  signal?: AbortSignal;
}

/** The answer: the exact bytes to send and their signature. */
export interface QueryOutput {
  body: Buffer;
  signature: string;
}

/** One SOAP query as received: who is connected, to which dataset, the exact envelope bytes. */
export interface SoapQueryInput {
  consumer: Principal;
  dataset: string;
  body: Buffer;
  signal?: AbortSignal;
}

/** The SOAP answer: the signed envelope, exactly as to be sent. */
export interface SoapQueryOutput {
  body: Buffer;
}

/** A query whose transport checks passed: ready for the shared pipeline. */
interface CheckedQuery {
  consumer: Principal;
  batch: QueryBatch;
  /** Base64url SHA-256 of the exact request bytes. */
  requestHash: string;
  binding: QueryBinding;
  signal?: AbortSignal;
}

/** An encoded answer: what the binding returns, and the bytes the trail hashes. */
interface Encoded<T> {
  output: T;
  bytes: Buffer;
}

/**
 * Answers batch queries on a distribution copy, over two bindings that share one pipeline: every
 * query is authenticated (TLS consumer and signer of the same organisation: JWS or WS-Security),
 * justified (purpose, legal basis, case, official), rate-limited, authorised by the rights of the
 * Security Platform, reduced to the fields the purpose may see, signed and bound to its request
 * by hash, and trailed subject by subject before it is sent.
 */
export class IoQueryService {
  readonly #options: IoQueryServiceOptions;
  readonly #schemes: IdentifierSchemes;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;

  constructor(options: IoQueryServiceOptions) {
    this.#options = options;
    this.#schemes = options.schemes ?? createDefaultSchemes();
    this.#clock = options.clock ?? systemClock;
    this.#limiter = new RateLimiter(this.#clock, options.rateLimit, options.consumerRateLimits);
  }

  /** The distribution copy served. */
  get copy(): DistributionCopy {
    return this.#options.copy;
  }

  /** The rights service that authorises queries. */
  get rights(): Rights {
    return this.#options.rights;
  }

  /** True when the SOAP 1.1 binding is configured. */
  get servesSoap(): boolean {
    return this.#options.soap !== undefined;
  }

  /**
   * Answers one JSON query. Refusals of the request as a whole throw; refusals by rights are
   * answers.
   *
   * @throws IoError `IO_JSON_MALFORMED`, `IO_SIGNATURE_MISSING`, `IO_SIGNATURE_INVALID`,
   *   `IO_SIGNER_MISMATCH`, `IO_ENVELOPE_INVALID`, `IO_JUSTIFICATION_MISSING`,
   *   `IO_SOURCE_MISMATCH`, `IO_ORGANISATION_MISMATCH`, `IO_DATASET_UNKNOWN`,
   *   `IO_BATCH_TOO_LARGE`, `IO_SUBJECT_INVALID`, `IO_RATE_LIMITED`. Each is trailed as a refusal.
   */
  async handleQuery(input: QueryInput): Promise<QueryOutput> {
    return this.#trailingRefusals(input, 'json', async () => {
      const parsed = parseJsonObject(input.body);
      const signer = await verifyJwsQuery(this.#options.verifier, { ...input, parsed });
      const checked = this.#check(input, signer, parsed, 'json');

      return this.#answerBatch(checked, async (answers) => {
        const body = Buffer.from(JSON.stringify(answers));
        const signature = await this.#options.signer.signAnswer(body, {
          requestId: answers.requestId,
          requestHash: checked.requestHash,
        });
        return { output: { body, signature }, bytes: body };
      });
    });
  }

  /**
   * Answers one SOAP 1.1 query: a WS-Security signed envelope whose Body holds a `Query`. The
   * answer is an envelope signed with the owner's key, holding `Answers`. Refusals of the
   * request as a whole throw (the HTTP layer writes them as SOAP Faults).
   *
   * @throws IoError `IO_BODY_TOO_LARGE`, `IO_XML_MALFORMED`, `IO_XML_FORBIDDEN`,
   *   `IO_SIGNATURE_MISSING`, `IO_SIGNATURE_INVALID` (`context.xmlCode`),
   *   `IO_SOAP_MUST_UNDERSTAND`, `IO_SIGNER_MISMATCH`, and the batch refusals of
   *   {@link IoQueryService.handleQuery}; `IO_INTERNAL` when no SOAP binding is configured.
   */
  async handleSoapQuery(input: SoapQueryInput): Promise<SoapQueryOutput> {
    const soap = this.#options.soap;
    if (!soap) throw new IoError('IO_INTERNAL', 'The SOAP binding is not configured.');
    return this.#trailingRefusals(input, 'soap', async () => {
      const query = await readSoapQuery(input.body, {
        soap,
        dataset: input.dataset,
        clock: this.#clock,
        maxBytes: this.#options.maxSoapBytes ?? 1024 * 1024,
        signal: input.signal,
      });
      const checked = this.#check(input, query.signer, query.fields, 'soap');
      const dataset = this.copy.dataset(checked.batch.source);

      return this.#answerBatch(checked, async (answers) => {
        const body = Buffer.from(writeSoapAnswers(answers, dataset, soap, this.#clock));
        return { output: { body }, bytes: body };
      });
    });
  }

  async #trailingRefusals<T>(
    input: { consumer: Principal; dataset: string; body: Buffer },
    binding: QueryBinding,
    answer: () => Promise<T>,
  ): Promise<T> {
    try {
      return await answer();
    } catch (err) {
      if (err instanceof IoError) await trailRefusal(this.#options.trail, input, err, binding);
      throw err;
    }
  }

  #check(
    input: { consumer: Principal; dataset: string; body: Buffer; signal?: AbortSignal },
    signer: Principal | undefined,
    candidate: Record<string, unknown>,
    binding: QueryBinding,
  ): CheckedQuery {
    if (!signer || organisationOf(signer) !== organisationOf(input.consumer)) {
      throw new IoError('IO_SIGNER_MISMATCH', 'The query was signed by another organisation.');
    }
    const batch = checkBatch(candidate, {
      consumer: input.consumer,
      dataset: input.dataset,
      datasetOf: (id): Dataset => this.copy.dataset(id),
      schemes: this.#schemes,
    });
    return {
      consumer: input.consumer,
      batch,
      requestHash: requestHash(input.body),
      binding,
      signal: input.signal,
    };
  }

  /** The pipeline both bindings share: rate limit, rights, lookup and minimisation, trail. */
  async #answerBatch<T>(
    query: CheckedQuery,
    encode: (answers: AnswerBatch) => Promise<Encoded<T>>,
  ): Promise<T> {
    const { consumer, batch } = query;
    const dataset = this.copy.dataset(batch.source);
    const wait = this.#limiter.take(consumer.id, batch.subjects.length);
    if (wait > 0) {
      throw new IoError('IO_RATE_LIMITED', 'Rate limit exceeded.', {
        context: { consumer: consumer.id, retryAfterMs: wait },
      });
    }

    const decision = await this.#options.rights.authorize(
      {
        principal: consumer.id,
        action: 'query',
        source: dataset.id,
        purpose: batch.purpose,
        legalBasis: batch.legalBasis,
        case: batch.case,
        official: batch.official,
      },
      { signal: query.signal },
    );
    const plan: AnswerPlan = {
      dataset,
      batch,
      decision,
      answeredAt: this.#clock.now(),
      requestHash: query.requestHash,
    };
    const answers = await buildAnswers(this.copy, plan);

    const encoded = await encode(answers.batch);
    await trailQuery(this.#options.trail, consumer, plan, answers, {
      answerHash: requestHash(encoded.bytes),
      binding: query.binding,
    });
    return encoded.output;
  }
}
