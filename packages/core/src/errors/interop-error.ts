// The error base class shared by every interop block: a stable code, structured context, a cause.

const BRAND = Symbol.for('interop-blocks.error');

/**
 * Structured, non-personal context attached to an error (ids, counts, names; never personal data).
 */
export type ErrorContext = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Options accepted by {@link InteropError} and its subclasses. */
export interface InteropErrorOptions {
  /** Structured context for operators: ids, counts, names. Never secrets or personal data. */
  context?: ErrorContext;
  /** The lower-level error that caused this one. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by the interop blocks.
 *
 * The `code` is the contract (stable across versions); the message is for people. `instanceof`
 * works across several copies of the package in one process, because it checks a global brand
 * rather than the prototype chain.
 *
 * @example
 * ```ts
 * try { parseSubject({ scheme: 'emso', id }); }
 * catch (err) { if (InteropError.is(err, 'CORE_IDENTIFIER_CHECK_DIGIT')) reply(400); }
 * ```
 */
export class InteropError extends Error {
  /** Stable, documented code such as `CORE_IDENTIFIER_CHECK_DIGIT`. */
  readonly code: string;
  /** Structured context; free of personal data. */
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: InteropErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }

  /**
   * True when `value` is an interop error (from any copy of this package), optionally with `code`.
   */
  static is(value: unknown, code?: string): value is InteropError {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    return code === undefined || (value as InteropError).code === code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!InteropError.is(value)) return false;
    if (this === InteropError) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value) || sameNamedClass(this, value);
  }

  /** A plain JSON form for APIs and logs: code, message and context, without stack or cause. */
  toJSON(): { code: string; message: string; context: ErrorContext } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

// A subclass from another copy of the package is recognised by its class name along the chain.
function sameNamedClass(ctor: { name: string }, value: object): boolean {
  for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === ctor.name) return true;
  }
  return false;
}
