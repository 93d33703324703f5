// The optional logger a library accepts: any pino-compatible object (libraries never print).

/** One log method: `(object, message)` or `(message)`, as pino takes them. */
export interface LogFn {
  (object: Record<string, unknown>, message?: string): void;
  (message: string): void;
}

/** A pino-compatible logger. Pass none and the blocks stay silent. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A logger that drops everything; the default of every block. */
export const silentLogger: Logger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
