import type { LocalizedText, TimeFormatter } from '@aic/connector-core';
import type { Flash, Operator } from '../auth/sessions.js';
import type { Lang } from '../i18n/lang.js';

/** What every page needs to render: language, where it is mounted, who is looking. */
export interface PageContext {
  readonly lang: Lang;
  /** The console's mount point ('' or '/something'). */
  readonly base: string;
  /** This page's path and query (the language switch comes back to it). */
  readonly here: string;
  readonly operator: Operator | undefined;
  /** The session's CSRF token, for every form. */
  readonly csrfToken: string | undefined;
  readonly time: TimeFormatter;
  readonly flash: Flash | undefined;
  /** True when operators come from a trusted proxy only (no sign-out button, no password form). */
  readonly proxyOnly: boolean;
}

/** The text of `message` in the page's language. */
export const t = (context: { readonly lang: Lang }, message: LocalizedText): string => message[context.lang];

/** A path of the console with an optional query (values encoded); safe to put in `href`/`action`. */
export function consolePath(
  base: string,
  path: string,
  query: Readonly<Record<string, string | undefined>> = {},
): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
  const suffix = search.size === 0 ? '' : `?${search.toString()}`;
  return `${base}${path}${suffix}`;
}

/** The path of a connection's page (or one of its sub-pages). */
export const connectionPath = (base: string, id: string, sub = ''): string =>
  `${base}/connections/${encodeURIComponent(id)}${sub}`;
