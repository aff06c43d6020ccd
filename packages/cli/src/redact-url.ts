/** What stands for a password in a redacted URL. */
export const REDACTED_PASSWORD = '***';

/** Shown instead of text that looks like a URL with credentials but does not parse as one. */
export const UNPARSED_URL = '[URL]';

/**
 * A URL without its password, for messages: parsed with the WHATWG URL parser, so a password
 * holding `@`, `:` or `/` is found whole (the userinfo ends at the last `@` before the host). The
 * user name stays (it is not a secret). Text that does not parse is not echoed at all.
 */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return UNPARSED_URL;
  }
  if (url.password !== '') url.password = REDACTED_PASSWORD;
  return url.href;
}

const OPENERS = new Set(['(', '[', '{', '<', '"', "'", '«', '“', '‘']);
const CLOSERS = new Set([')', ']', '}', '>', '"', "'", '»', '”', '’', '.', ',', ';', ':', '!', '?']);

/** One whitespace-free word: a URL in it loses its password; a URL-like word that fails to parse goes. */
function redactWord(word: string): string {
  if (!word.includes('://')) return word;
  let start = 0;
  let end = word.length;
  while (start < end && OPENERS.has(word[start]!)) start += 1;
  while (end > start && CLOSERS.has(word[end - 1]!)) end -= 1;
  const core = word.slice(start, end);
  if (URL.canParse(core)) {
    const url = new URL(core);
    if (url.password === '') return word;
    return `${word.slice(0, start)}${redactUrl(core)}${word.slice(end)}`;
  }
  // Not a URL we can read: if it may hold userinfo, drop the whole word rather than guess.
  return core.includes('@') ? `${word.slice(0, start)}${UNPARSED_URL}${word.slice(end)}` : word;
}

/**
 * Text of unknown origin (an unexpected error's message) with the password of every URL in it
 * removed. Words are split on whitespace and each URL is parsed, never pattern-matched.
 */
export function redactUrlsIn(value: string): string {
  let result = '';
  let word = '';
  for (const char of value) {
    if (char.trim() === '') {
      result += redactWord(word) + char;
      word = '';
    } else {
      word += char;
    }
  }
  return result + redactWord(word);
}
