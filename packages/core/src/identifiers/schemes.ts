// The registry of identifier schemes and the parser that turns raw input into a typed subject.

import { CoreError } from '../errors/core-error.js';
import { checkEmso } from './emso.js';
import { checkTaxNumber } from './tax-number.js';

/** The person data is about, identified within a scheme. */
export interface Subject {
  /** Identifier scheme, e.g. `emso` or `tax`. */
  readonly scheme: string;
  /** The identifier, normalised by its scheme. */
  readonly id: string;
}

/** How one identifier scheme normalises and checks its identifiers. */
export interface IdentifierScheme {
  /** Lower-case name used in `Subject.scheme`. */
  readonly name: string;
  /** Human description for metaservices and docs. */
  readonly description: string;
  /** Trims or reformats raw input (no validation); default: trims white space. */
  normalise?(raw: string): string;
  /**
   * Throws a coded {@link CoreError} saying what is wrong; returns when the identifier is valid.
   */
  check(id: string): void;
}

/** A set of identifier schemes; the default one knows `emso` and `tax`. */
export class IdentifierSchemes {
  readonly #schemes = new Map<string, IdentifierScheme>();

  constructor(schemes: Iterable<IdentifierScheme> = []) {
    for (const s of schemes) this.register(s);
  }

  /**
   * Adds a scheme.
   * @throws CoreError `CORE_IDENTIFIER_SCHEME_DUPLICATE` when the name is taken.
   */
  register(scheme: IdentifierScheme): this {
    if (this.#schemes.has(scheme.name)) {
      throw new CoreError(
        'CORE_IDENTIFIER_SCHEME_DUPLICATE',
        'Identifier scheme registered twice.',
        {
          context: { scheme: scheme.name },
        },
      );
    }
    this.#schemes.set(scheme.name, scheme);
    return this;
  }

  /** The scheme called `name`, if registered. */
  get(name: string): IdentifierScheme | undefined {
    return this.#schemes.get(name);
  }

  /** Names of the registered schemes. */
  names(): string[] {
    return [...this.#schemes.keys()];
  }

  /**
   * Turns raw input into a validated subject.
   *
   * @throws CoreError `CORE_IDENTIFIER_SCHEME_UNKNOWN`, or the scheme's own code
   *   (`CORE_IDENTIFIER_FORMAT`, `CORE_IDENTIFIER_CHECK_DIGIT`, `CORE_IDENTIFIER_BIRTH_DATE`, ...).
   * @example
   * ```ts
   * const subject = createDefaultSchemes().parse({ scheme: 'emso', id: ' 0101006500006 ' });
   * ```
   */
  parse(input: { scheme: string; id: string }): Subject {
    const scheme = typeof input?.scheme === 'string' ? this.#schemes.get(input.scheme) : undefined;
    if (!scheme) {
      throw new CoreError('CORE_IDENTIFIER_SCHEME_UNKNOWN', 'Unknown identifier scheme.', {
        context: { scheme: typeof input?.scheme === 'string' ? input.scheme.slice(0, 40) : null },
      });
    }
    if (typeof input.id !== 'string') {
      throw new CoreError('CORE_IDENTIFIER_FORMAT', 'An identifier must be a string.', {
        context: { scheme: scheme.name },
      });
    }

    const id = scheme.normalise ? scheme.normalise(input.id) : input.id.trim();
    scheme.check(id);
    return Object.freeze({ scheme: scheme.name, id });
  }

  /** True when the subject's identifier is valid in its scheme. */
  isValid(input: { scheme: string; id: string }): boolean {
    try {
      this.parse(input);
      return true;
    } catch (err) {
      if (err instanceof CoreError) return false;
      throw err;
    }
  }
}

/** The Slovenian personal number scheme (`emso`). */
export const emsoScheme: IdentifierScheme = {
  name: 'emso',
  description: 'Slovenian personal number (EMSO), 13 digits with a mod-11 check digit',
  check: (id) => void checkEmso(id),
};

/** The Slovenian tax number scheme (`tax`); accepts an `SI` VAT prefix and strips it. */
export const taxScheme: IdentifierScheme = {
  name: 'tax',
  description: 'Slovenian tax number, 8 digits with a mod-11 check digit',
  normalise: (raw) => raw.trim().replace(/^SI/i, ''),
  check: checkTaxNumber,
};

/** Creates a scheme registry holding `emso` and `tax`, to which an agency may add its own. */
export function createDefaultSchemes(): IdentifierSchemes {
  return new IdentifierSchemes([emsoScheme, taxScheme]);
}

const defaultSchemes = createDefaultSchemes();

/**
 * Parses a subject with the default schemes (`emso`, `tax`).
 * @throws CoreError as {@link IdentifierSchemes.parse}.
 */
export function parseSubject(input: { scheme: string; id: string }): Subject {
  return defaultSchemes.parse(input);
}
