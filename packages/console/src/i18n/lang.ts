/** The languages of the console: Spanish (the default) and English. */
export type Lang = 'es' | 'en';

export const isLang = (value: unknown): value is Lang => value === 'es' || value === 'en';

/**
 * The page language: the `lang` cookie when it holds `es` or `en` (the visible switch sets it),
 * else the first of Spanish or English by `Accept-Language` quality (RFC 9110 §12.5.4), else
 * Spanish.
 */
export function negotiateLang(acceptLanguage: string | undefined, cookie: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  let best: { lang: Lang; q: number } | undefined;
  for (const entry of (acceptLanguage ?? '').split(',')) {
    const [range = '', ...params] = entry.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    if (!isLang(primary)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (match !== null) q = Number(match[1]);
    }
    if (q > 0 && (best === undefined || q > best.q)) best = { lang: primary, q };
  }
  return best?.lang ?? 'es';
}
