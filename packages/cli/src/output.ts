import {
  isConnectorError,
  systemClock,
  text,
  type CredentialIssue,
  type LocalizedText,
} from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';
import type { Io } from './io.js';
import type { Lang } from './lang.js';
import { redactUrlsIn } from './redact-url.js';
import { Times, type TimesOptions } from './times.js';

/** A JSON document printed by `--json` (values already free of secrets). */
export type JsonDocument = Readonly<Record<string, unknown>>;

/** An error as every command reports it: stable code, both languages, bad fields if any. */
export interface ReportedError {
  readonly code: string;
  readonly message: LocalizedText;
  readonly issues?: readonly { readonly pointer: string; readonly message: LocalizedText }[];
}

/**
 * Turns anything thrown into a {@link ReportedError}. Typed errors (core's and the CLI's) keep
 * their code and bilingual message; anything else is a bug, reported as `ERR_INTERNAL` with its
 * name and message (passwords in URLs removed, by parsing them).
 */
export function toReportedError(error: unknown): ReportedError {
  if (error instanceof CliError || isConnectorError(error)) {
    const issues = (error as { issues?: readonly CredentialIssue[] }).issues;
    return {
      code: error.code,
      message: error.localized,
      ...(issues === undefined || issues.length === 0
        ? {}
        : { issues: issues.map((issue) => ({ pointer: issue.pointer, message: issue.message })) }),
    };
  }
  // Duck-typed: errors from another realm (vm contexts, workers) are not `instanceof Error`.
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const detail = typeof message === 'string' ? redactUrlsIn(message) : '';
  const kind = typeof name === 'string' ? name : typeof error;
  return {
    code: CliErrorCode.Internal,
    message: text(`Error inesperado (${kind}): ${detail}`, `Unexpected error (${kind}): ${detail}`),
  };
}

/** An ISO 8601 instant (UTC) for an epoch-ms time, or `undefined`. */
export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/**
 * Where a command writes. In `--json` mode stdout receives exactly one JSON document and nothing
 * else; human-readable text goes to stdout otherwise. Progress and prompts always go to stderr.
 */
export class Output {
  readonly #io: Io;
  readonly lang: Lang;
  readonly json: boolean;
  /** Times for this reader: local and relative, or raw ISO 8601 with `--utc`. */
  readonly times: Times;

  constructor(io: Io, lang: Lang, json: boolean, times: Omit<TimesOptions, 'lang'> = { clock: systemClock }) {
    this.#io = io;
    this.lang = lang;
    this.json = json;
    this.times = new Times({ ...times, lang });
  }

  /** The message in the chosen language. */
  t(message: LocalizedText): string {
    return message[this.lang];
  }

  /** A progress note or prompt (stderr, in both modes). */
  note(message: LocalizedText | string): void {
    this.#io.stderr(`${typeof message === 'string' ? message : this.t(message)}\n`);
  }

  /** The command's result: `document` in `--json` mode, else the human lines. */
  result(document: JsonDocument, lines: readonly string[]): void {
    if (this.json) this.#io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    else if (lines.length > 0) this.#io.stdout(`${lines.join('\n')}\n`);
  }

  /** Raw text on stdout (human mode only: e.g. a response body). */
  raw(value: string): void {
    this.#io.stdout(value);
  }

  /** Reports a failure: `{ ok: false, error }` on stdout in `--json` mode, a message on stderr otherwise. */
  error(error: ReportedError, extra: JsonDocument = {}): void {
    if (this.json) {
      this.#io.stdout(`${JSON.stringify({ ok: false, ...extra, error }, null, 2)}\n`);
      return;
    }
    const issues = error.issues ?? [];
    // Core's schema message lists every field on one line; people read them better one per line.
    const summary =
      issues.length === 0 || error.code !== 'ERR_INVALID_CREDENTIALS'
        ? this.t(error.message)
        : this.t(
            text(`Credenciales inválidas (${issues.length}):`, `Invalid credentials (${issues.length}):`),
          );
    const lines = [`Error [${error.code}]: ${summary}`];
    for (const issue of issues) lines.push(`  - ${issue.pointer || '/'}: ${this.t(issue.message)}`);
    this.#io.stderr(`${lines.join('\n')}\n`);
  }
}
