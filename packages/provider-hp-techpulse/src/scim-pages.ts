import { isDeepStrictEqual } from 'node:util';
import { ConnectorError, ErrorCode, text, throwIfAborted, type ErrorContext } from '@aic/connector-core';

/**
 * One page of a SCIM-style list (RFC 7644 §3.4.2), as HP's analytics API returns it:
 * `{ totalResults, startIndex, itemsPerPage, resources }`. HP writes `resources` in lower case
 * and its samples show `itemsPerPage: 0` on full pages, so only `totalResults` and the items
 * themselves are trusted.
 */
export interface ScimListPage<T> {
  readonly totalResults: number;
  /** The start index the server says it served (HP samples: 0). */
  readonly startIndex?: number | undefined;
  readonly resources: readonly T[];
}

/**
 * What `startIndex` means to the server. HP's samples disagree (0-based offset, 1-based offset,
 * page number), so the default, `auto`, works it out from the answers (see {@link pageThrough}).
 *
 * - `offset-0` / `offset-1`: index of the first item, counted from 0 / 1 (SCIM says 1).
 * - `page-0` / `page-1`: page number, counted from 0 / 1.
 */
export type StartIndexConvention = 'auto' | 'offset-0' | 'offset-1' | 'page-0' | 'page-1';

export interface PagingOptions {
  /** Items asked per page (`count`). Default 100. */
  readonly pageSize?: number | undefined;
  /** Default `auto`. Set it when the endpoint's convention is known: it saves the probe request. */
  readonly startIndex?: StartIndexConvention | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Fetches the page at `startIndex` with `count` items (one HTTP call). */
export type PageFetcher<T> = (startIndex: number, count: number) => Promise<ScimListPage<T>>;

interface Advance {
  readonly unit: 'item' | 'page';
}

function repeated(startIndex: number, context: ErrorContext): ConnectorError {
  return new ConnectorError(
    ErrorCode.InvalidProviderResponse,
    text(
      `El servidor devolvió otra vez la misma página para startIndex=${startIndex}: su paginación no avanza. Indique la convención de startIndex del endpoint.`,
      `The server returned the same page again for startIndex=${startIndex}: its paging does not advance. Set the endpoint's startIndex convention.`,
    ),
    context,
  );
}

/** True when `probe` is `first` shifted by one item: the server counts `startIndex` in items. */
function shiftedByOne<T>(first: readonly T[], probe: readonly T[]): boolean {
  const overlap = Math.min(first.length - 1, probe.length);
  if (overlap < 1) return false;
  for (let i = 0; i < overlap; i++) {
    if (!isDeepStrictEqual(probe[i], first[i + 1])) return false;
  }
  return true;
}

/**
 * Every item of a paged list, in order, one request at a time.
 *
 * It stops by counting the items it has yielded against the latest `totalResults` (never by
 * `startIndex + itemsPerPage`, which page-numbered servers and HP's `itemsPerPage: 0` break),
 * stops at the first empty page (the list shrank while paging), and throws
 * `ERR_INVALID_PROVIDER_RESPONSE` when a page repeats the previous one, so it can never loop.
 *
 * With `auto`, the first request asks for `startIndex=0`; the origin is the server's echoed
 * `startIndex` (1 when it says so, else 0). If more items remain, it asks for `origin + 1`:
 * - the same page again: the server clamped 0 to 1 (SCIM, RFC 7644 §3.4.2.4), so origin is 1;
 *   ask `2`;
 * - the first page shifted by one item: offsets; the overlap is skipped, nothing is lost;
 * - anything else: page numbers.
 * The probe's new items are used, so `auto` costs at most one request more than the right explicit
 * convention (two when a server clamps 0 to 1 without echoing it).
 */
export async function* pageThrough<T>(
  fetchPage: PageFetcher<T>,
  options: PagingOptions,
  context: ErrorContext,
): AsyncGenerator<T, void, undefined> {
  const count = options.pageSize ?? 100;
  if (!Number.isInteger(count) || count < 1) {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        `El tamaño de página debe ser un entero ≥ 1 (recibido ${count}).`,
        `The page size must be an integer ≥ 1 (got ${count}).`,
      ),
      context,
    );
  }
  const convention = options.startIndex ?? 'auto';
  const { signal } = options;
  let advance: Advance | undefined =
    convention === 'auto' ? undefined : { unit: convention.startsWith('page') ? 'page' : 'item' };

  throwIfAborted(signal, context);
  let sent = convention.endsWith('-1') ? 1 : 0;
  let page = await fetchPage(sent, count);
  let seen = 0;
  yield* page.resources;
  seen += page.resources.length;

  while (seen < page.totalResults && page.resources.length > 0) {
    const previous = page;
    if (advance === undefined) {
      let origin = page.startIndex === 1 ? 1 : 0;
      throwIfAborted(signal, context);
      let probe = await fetchPage(origin + 1, count);
      if (origin === 0 && probe.resources.length > 0 && isDeepStrictEqual(probe.resources, page.resources)) {
        origin = 1;
        throwIfAborted(signal, context);
        probe = await fetchPage(origin + 1, count);
      }
      if (probe.resources.length > 0 && isDeepStrictEqual(probe.resources, page.resources)) {
        throw repeated(origin + 1, context);
      }
      const items = shiftedByOne(page.resources, probe.resources);
      advance = { unit: items ? 'item' : 'page' };
      const fresh = items ? probe.resources.slice(page.resources.length - 1) : probe.resources;
      yield* fresh;
      seen += fresh.length;
      sent = origin + 1;
      page = probe;
    } else {
      sent = advance.unit === 'item' ? sent + page.resources.length : sent + 1;
      throwIfAborted(signal, context);
      page = await fetchPage(sent, count);
      if (page.resources.length > 0 && isDeepStrictEqual(page.resources, previous.resources)) {
        throw repeated(sent, context);
      }
      yield* page.resources;
      seen += page.resources.length;
    }
  }
}
