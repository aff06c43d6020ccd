/**
 * Times for people, in Spanish or English: relative ("dentro de 25 minutos", "hace 3 días"),
 * durations ("25 min"), local dates and times in a chosen time zone, and plurals — all through
 * `Intl` (ECMA-402), never hand-made. Deterministic: "now" is given, never read from the system
 * clock, so the same input always gives the same text.
 *
 * Shared by the operator console and the `aic` command line.
 */

/** The languages AIC operators read. */
export type TimeLang = 'es' | 'en';

export interface TimeFormatOptions {
  readonly lang: TimeLang;
  /** Epoch milliseconds relative times are measured from (e.g. `clock.now()`). */
  readonly now: number;
  /**
   * IANA time zone dates and times are shown in (`America/Bogota`, `UTC`). Default: the
   * process's own zone. An unknown zone throws a `RangeError` when the formatter is built.
   */
  readonly timeZone?: string | undefined;
}

/** The plural forms of a phrase (CLDR categories); `#` is replaced by the formatted count. */
export type PluralForms = { readonly other: string } & Partial<Readonly<Record<Intl.LDMLPluralRule, string>>>;

/** A unit of {@link TimeFormatter.relative} and {@link TimeFormatter.duration}. */
export type TimeUnit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30.436875 * DAY; // a Gregorian year / 12
const YEAR = 365.2425 * DAY;

/**
 * The unit a span of time reads best in, and its rounded count: seconds under a minute,
 * minutes under an hour, hours under a day, days under 60 days, months under two years, then
 * years. A count that rounds up to the next unit moves to it ("60 minutes" is "1 hour").
 */
export function bestUnit(ms: number): { readonly value: number; readonly unit: TimeUnit } {
  const size = Math.abs(ms);
  const sign = ms < 0 ? -1 : 1;
  const pick = (value: number, unit: TimeUnit) => ({ value: sign * value + 0, unit });
  if (size < MINUTE) {
    const seconds = Math.round(size / SECOND);
    return seconds < 60 ? pick(seconds, 'second') : pick(1, 'minute');
  }
  if (size < HOUR) {
    const minutes = Math.round(size / MINUTE);
    return minutes < 60 ? pick(minutes, 'minute') : pick(1, 'hour');
  }
  if (size < DAY) {
    const hours = Math.round(size / HOUR);
    return hours < 24 ? pick(hours, 'hour') : pick(1, 'day');
  }
  if (size < 60 * DAY) return pick(Math.round(size / DAY), 'day');
  if (size < 2 * YEAR) return pick(Math.round(size / MONTH), 'month');
  return pick(Math.round(size / YEAR), 'year');
}

interface IntlSet {
  readonly relative: Intl.RelativeTimeFormat;
  readonly plural: Intl.PluralRules;
  readonly number: Intl.NumberFormat;
  readonly date: Intl.DateTimeFormat;
  readonly dateTime: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  readonly dayKey: Intl.DateTimeFormat;
  readonly durations: Map<string, Intl.NumberFormat>;
}

/** `Intl` objects are costly to build: one set per language and zone, kept (there are few). */
const cache = new Map<string, IntlSet>();

function intlFor(lang: TimeLang, timeZone: string | undefined): IntlSet {
  const key = `${lang}\u001f${timeZone ?? ''}`;
  let set = cache.get(key);
  if (set === undefined) {
    const zone = timeZone === undefined ? {} : { timeZone };
    set = {
      relative: new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
      plural: new Intl.PluralRules(lang),
      number: new Intl.NumberFormat(lang),
      date: new Intl.DateTimeFormat(lang, { ...zone, year: 'numeric', month: 'long', day: 'numeric' }),
      dateTime: new Intl.DateTimeFormat(lang, {
        ...zone,
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
      time: new Intl.DateTimeFormat(lang, {
        ...zone,
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
      dayKey: new Intl.DateTimeFormat('en-CA', {
        ...zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
      durations: new Map(),
    };
    if (cache.size >= 64) cache.clear(); // bounded: a host serves a handful of zones
    cache.set(key, set);
  }
  return set;
}

/**
 * Formats times for one reader: a language, a time zone and the current instant.
 *
 * ```ts
 * const t = new TimeFormatter({ lang: 'es', now: clock.now(), timeZone: 'America/Bogota' });
 * t.relative(expiresAt);              // "dentro de 25 minutos"
 * t.duration(expiresAt - now, 'short'); // "25 min"
 * t.date(deadline);                   // "30 de diciembre de 2026"
 * t.dateTime(expiresAt);              // "30 de diciembre de 2026, 2:05 p. m. GMT-5"
 * t.plural(3, { one: '# argumento', other: '# argumentos' }); // "3 argumentos"
 * ```
 */
export class TimeFormatter {
  readonly lang: TimeLang;
  readonly now: number;
  readonly timeZone: string;
  readonly #intl: IntlSet;

  constructor(options: TimeFormatOptions) {
    this.lang = options.lang;
    this.now = options.now;
    this.#intl = intlFor(options.lang, options.timeZone);
    this.timeZone = this.#intl.date.resolvedOptions().timeZone;
  }

  /** Relative to now: "dentro de 25 minutos" / "in 25 minutes", "hace 3 días", "mañana", "ahora". */
  relative(at: number): string {
    const { value, unit } = bestUnit(at - this.now);
    return this.#intl.relative.format(value, unit);
  }

  /** A length of time without direction: "25 minutos" (`long`) or "25 min" (`short`). */
  duration(ms: number, style: 'long' | 'short' = 'long'): string {
    const { value, unit } = bestUnit(Math.abs(ms));
    const key = `${unit}/${style}`;
    let format = this.#intl.durations.get(key);
    if (format === undefined) {
      format = new Intl.NumberFormat(this.lang, { style: 'unit', unit, unitDisplay: style });
      this.#intl.durations.set(key, format);
    }
    return format.format(value);
  }

  /** The local calendar date: "30 de diciembre de 2026" / "December 30, 2026". */
  date(at: number): string {
    return this.#intl.date.format(at);
  }

  /**
   * A calendar date held as UTC midnight (a `format: date` credential field, or a deadline derived
   * from one, like a client secret's expiry): shown as that same date in every zone.
   */
  calendarDate(at: number): string {
    return intlFor(this.lang, 'UTC').date.format(at);
  }

  /** Local date and time with the zone: "30 de diciembre de 2026, 2:05 p. m. GMT-5". */
  dateTime(at: number): string {
    return this.#intl.dateTime.format(at);
  }

  /** Local time with the zone when `at` falls on today's local date, else {@link dateTime}. */
  when(at: number): string {
    return this.isToday(at) ? this.#intl.time.format(at) : this.dateTime(at);
  }

  /** True when `at` is on the same local calendar day as now (in this formatter's zone). */
  isToday(at: number): boolean {
    return this.#intl.dayKey.format(at) === this.#intl.dayKey.format(this.now);
  }

  /** The form for `count` under the language's plural rules, `#` replaced by the number. */
  plural(count: number, forms: PluralForms): string {
    const form = forms[this.#intl.plural.select(count)] ?? forms.other;
    return form.replaceAll('#', this.#intl.number.format(count));
  }
}
