import type { LocalizedText } from '@aic/connector-core';

/** The languages AIC users work in. */
export type Lang = keyof LocalizedText;

const fromLocale = (value: string | undefined): Lang | undefined => {
  const lower = value?.toLowerCase() ?? '';
  if (lower.startsWith('es')) return 'es';
  if (lower.startsWith('en')) return 'en';
  return undefined;
};

/**
 * The language of messages: `--lang`, else `AIC_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`,
 * `LANG`), else Spanish.
 */
export function detectLang(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Lang {
  return (
    fromLocale(flag) ??
    fromLocale(env['AIC_LANG']) ??
    fromLocale(env['LC_ALL']) ??
    fromLocale(env['LC_MESSAGES']) ??
    fromLocale(env['LANG']) ??
    'es'
  );
}

/** True when `value` names a supported language (`es`, `en`, or a locale such as `en_US`). */
export const isLang = (value: string): boolean => fromLocale(value) !== undefined;
