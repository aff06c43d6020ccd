import { redactFields } from './redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured log fields. Never put a secret here; {@link redactingLogger} is the safety net. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger port. Library code never writes to `console`; the host binds its own logger (pino,
 * winston, AIC's) under the `Logger` service identifier.
 */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** Discards everything: the default when the host binds no logger. */
export const silentLogger: Logger = Object.freeze({ log: () => undefined });

/** Wraps a logger so that secret-named fields (tokens, secrets, codes, verifiers) are redacted. */
export function redactingLogger(inner: Logger): Logger {
  return {
    log(level, message, fields) {
      if (fields === undefined) inner.log(level, message);
      else inner.log(level, message, redactFields(fields) as LogFields);
    },
  };
}

/** A logger that keeps every entry in memory, for tests and for the conformance kit. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; message: string; fields?: LogFields }[] = [];

  log(level: LogLevel, message: string, fields?: LogFields): void {
    this.entries.push(fields === undefined ? { level, message } : { level, message, fields });
  }

  /** Every entry as one JSON line each: what a leak check scans. */
  lines(): string[] {
    return this.entries.map((entry) => JSON.stringify(entry));
  }
}
