import { inspect } from 'node:util';
import type { ErrorCode } from './codes.js';
import type { LocalizedText } from './localized.js';

/** Where an error happened, as far as the thrower knows. */
export interface ErrorContext {
  readonly connectorId?: string | undefined;
  readonly connectionId?: string | undefined;
  readonly cause?: unknown;
}

/** The fields every {@link ConnectorError} serializes: no token, secret, code or raw body. */
export interface SerializedConnectorError {
  readonly name: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly localized: LocalizedText;
  readonly connectorId?: string;
  readonly connectionId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: { readonly name: string; readonly code?: string; readonly message: string };
}

/**
 * Base class of every error the connectors raise.
 *
 * - `code` is stable ({@link ErrorCode}); branch on it.
 * - `localized` holds the message a person reads, in Spanish and English; `message` is the
 *   English text.
 * - Nothing secret is ever put in a message. `toJSON()` and `util.inspect` print only the
 *   fields of {@link SerializedConnectorError}; a `cause` is reduced to its name, code and
 *   message (a `SyntaxError`'s message, which quotes its input, is withheld, here and in the
 *   kept cause itself). No error of this package keeps response bytes as a cause or property.
 */
export class ConnectorError extends Error {
  override readonly name: string = 'ConnectorError';
  readonly code: ErrorCode;
  readonly localized: LocalizedText;
  readonly connectorId: string | undefined;
  readonly connectionId: string | undefined;

  constructor(code: ErrorCode, localized: LocalizedText, context: ErrorContext = {}) {
    super(localized.en, context.cause === undefined ? undefined : { cause: withheldCause(context.cause) });
    this.code = code;
    this.localized = localized;
    this.connectorId = context.connectorId;
    this.connectionId = context.connectionId;
  }

  /** Extra, non-secret facts a subclass exposes (e.g. `retryAfterMs`, `issues`). */
  protected details(): Readonly<Record<string, unknown>> | undefined {
    return undefined;
  }

  toJSON(): SerializedConnectorError {
    const details = this.details();
    const cause = summarizeCause(this.cause);
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      localized: this.localized,
      ...(this.connectorId === undefined ? {} : { connectorId: this.connectorId }),
      ...(this.connectionId === undefined ? {} : { connectionId: this.connectionId }),
      ...(details === undefined ? {} : { details }),
      ...(cause === undefined ? {} : { cause }),
    };
  }

  [inspect.custom](): string {
    const { name, ...rest } = this.toJSON();
    return `${name} ${inspect(rest, { depth: 4, breakLength: 100 })}`;
  }
}

const WITHHELD = 'message withheld (a SyntaxError quotes the text it failed to parse)';

/**
 * The cause an error keeps: itself, except a `SyntaxError`, whose message quotes the text it
 * failed on (V8's `JSON.parse` quotes the body) — replaced by a stand-in of the same name with the
 * message withheld and the stack frames kept. The engine never passes response bytes as a cause
 * anyway; this is the backstop that keeps a cause chain free of them.
 */
function withheldCause(cause: unknown): unknown {
  if (!(cause instanceof SyntaxError)) return cause;
  const standIn = new Error(WITHHELD);
  standIn.name = cause.name;
  const frames = cause.stack?.indexOf('\n    at ') ?? -1;
  standIn.stack = `${cause.name}: ${WITHHELD}${frames >= 0 ? (cause.stack ?? '').slice(frames) : ''}`;
  return standIn;
}

function summarizeCause(cause: unknown): SerializedConnectorError['cause'] {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof ConnectorError) {
    return { name: cause.name, code: cause.code, message: cause.message };
  }
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: cause instanceof SyntaxError ? WITHHELD : cause.message,
    };
  }
  return { name: typeof cause, message: 'non-error cause' };
}

/** True when `value` is a {@link ConnectorError} (also across duplicated copies of this package). */
export function isConnectorError(value: unknown): value is ConnectorError {
  return (
    value instanceof ConnectorError ||
    (value instanceof Error &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { localized?: { en?: unknown } }).localized?.en === 'string')
  );
}
