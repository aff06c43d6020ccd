import {
  InvalidProviderResponseError,
  text,
  type ApiResponse,
  type ErrorContext,
  type LocalizedText,
} from '@aic/connector-core';
import type { ScimListPage } from './scim-pages.js';

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const contentType = (response: ApiResponse): string | undefined => {
  const value = response.headers['content-type'];
  return Array.isArray(value) ? value[0] : value;
};

function statusMessage(status: number, what: string): LocalizedText {
  if (status === 403) {
    return text(
      `HP negó el acceso a ${what} (403): el usuario que autorizó la conexión necesita uno de estos roles: Customer IT Admin o Report Admin, MSP Support Specialist o Support Admin, Partner Admin.`,
      `HP denied access to ${what} (403): the user who authorized the connection needs one of these roles: Customer IT Admin or Report Admin, MSP Support Specialist or Support Admin, Partner Admin.`,
    );
  }
  return text(`HP respondió HTTP ${status} a ${what}.`, `HP answered HTTP ${status} to ${what}.`);
}

/**
 * The JSON body of a 2xx answer. Any other status (401 and transient ones were already handled
 * by the connector) is an `ERR_INVALID_PROVIDER_RESPONSE` carrying `status` and content type,
 * never the body.
 */
export function okJson(response: ApiResponse, what: string, context: ErrorContext): unknown {
  if (response.status < 200 || response.status > 299) {
    throw new InvalidProviderResponseError(
      response.status,
      contentType(response),
      statusMessage(response.status, what),
      context,
    );
  }
  return response.json();
}

function malformed(response: ApiResponse, what: string, detail: LocalizedText, context: ErrorContext): Error {
  return new InvalidProviderResponseError(
    response.status,
    contentType(response),
    text(
      `Respuesta inesperada de HP a ${what}: ${detail.es}.`,
      `Unexpected HP answer to ${what}: ${detail.en}.`,
    ),
    context,
  );
}

function listPageOf<T>(
  body: Readonly<Record<string, unknown>>,
  response: ApiResponse,
  what: string,
  context: ErrorContext,
): ScimListPage<T> {
  const resources = body['resources'] ?? body['Resources'] ?? [];
  if (!Array.isArray(resources)) {
    throw malformed(
      response,
      what,
      text('«resources» no es una lista', '“resources” is not a list'),
      context,
    );
  }
  const total = body['totalResults'];
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw malformed(
      response,
      what,
      text('falta «totalResults» o no es un entero ≥ 0', '“totalResults” is missing or not an integer ≥ 0'),
      context,
    );
  }
  const startIndex = body['startIndex'];
  return {
    totalResults: total,
    startIndex: typeof startIndex === 'number' ? startIndex : undefined,
    resources: resources as T[],
  };
}

/** Reads a SCIM-style list page; HP writes `resources`, RFC 7644 §3.4.2 writes `Resources`. */
export function readListPage<T>(response: ApiResponse, what: string, context: ErrorContext): ScimListPage<T> {
  const body = okJson(response, what, context);
  if (!isObject(body)) {
    throw malformed(response, what, text('no es un objeto JSON', 'not a JSON object'), context);
  }
  return listPageOf<T>(body, response, what, context);
}

/**
 * A body that is either one SCIM resource (`{ id, … }`, how HP answers `/identity/tenants` for a
 * customer) or a list page, as a list of resources.
 */
export function readOneOrMany<T>(response: ApiResponse, what: string, context: ErrorContext): T[] {
  const body = okJson(response, what, context);
  if (isObject(body) && ('resources' in body || 'Resources' in body || 'totalResults' in body)) {
    return [...listPageOf<T>(body, response, what, context).resources];
  }
  if (isObject(body) && typeof body['id'] === 'string') return [body as T];
  throw malformed(
    response,
    what,
    text('no es un recurso con «id» ni una lista de recursos', 'neither a resource with an “id” nor a list'),
    context,
  );
}
