import { TimeFormatter, text, type Clock, type LocalizedText, type PluralForms } from '@aic/connector-core';
import type { Lang } from './lang.js';

/** How a reader wants times: language, time zone, "now", or raw ISO 8601 (`--utc`). */
export interface TimesOptions {
  readonly lang: Lang;
  readonly clock: Clock;
  /** IANA zone (the `TZ` variable); an unknown one falls back to the process's own zone. */
  readonly timeZone?: string | undefined;
  /** `--utc`: instants as raw ISO 8601 UTC, no relative phrases. */
  readonly utc?: boolean | undefined;
}

/** Plural forms per language, for {@link counted}. */
export interface CountForms {
  readonly es: PluralForms;
  readonly en: PluralForms;
}

const DAY_MS = 86_400_000;

const dayFormats = new Map<Lang, Intl.RelativeTimeFormat>();

const formatters = {
  es: new TimeFormatter({ lang: 'es', now: 0, timeZone: 'UTC' }),
  en: new TimeFormatter({ lang: 'en', now: 0, timeZone: 'UTC' }),
};

/**
 * `count` in both languages under each language's plural rules (`Intl.PluralRules`, through core's
 * {@link TimeFormatter}): `counted(2, { es: { one: '# argumento', other: '# argumentos' }, en: … })`.
 */
export function counted(count: number, forms: CountForms): LocalizedText {
  return text(formatters.es.plural(count, forms.es), formatters.en.plural(count, forms.en));
}

/** A length of time in both languages: "5 minutos" / "5 minutes". */
export function durationText(ms: number): LocalizedText {
  return text(formatters.es.duration(ms), formatters.en.duration(ms));
}

/** True when `Intl` knows the zone (`TZ=:/etc/localtime` and POSIX rules are not IANA names). */
function knownZone(zone: string | undefined): string | undefined {
  if (zone === undefined || zone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/**
 * Times for people, built on core's shared {@link TimeFormatter}: relative ("en 25 min",
 * "hace 3 h") and local ("30 de diciembre de 2026, 14:05 GMT-5") in the reader's language and
 * zone, measured from the clock's current instant; or, with `--utc`, the raw ISO 8601 instant.
 * Calendar dates (a client secret's expiry date) are shown as the date that was written, in UTC.
 */
export class Times {
  readonly utc: boolean;
  readonly #lang: Lang;
  readonly #clock: Clock;
  readonly #zone: string | undefined;

  constructor(options: TimesOptions) {
    this.utc = options.utc === true;
    this.#lang = options.lang;
    this.#clock = options.clock;
    this.#zone = knownZone(options.timeZone);
  }

  now(): number {
    return this.#clock.now();
  }

  /** A formatter for this instant (cheap: core keeps the `Intl` objects). */
  #local(): TimeFormatter {
    return new TimeFormatter({ lang: this.#lang, now: this.#clock.now(), timeZone: this.#zone });
  }

  /** The ISO 8601 instant (what `--json` and `--utc` show). */
  iso(at: number): string {
    return new Date(at).toISOString();
  }

  /** "25 min" / "3 h": how far `at` is from now, without direction. */
  distance(at: number): string {
    return this.#local().duration(at - this.#clock.now(), 'short');
  }

  /** "dentro de 7 meses" / "hace 3 días". */
  relative(at: number): string {
    return this.#local().relative(at);
  }

  /** The local time when `at` is today, else the local date and time, with the zone; ISO with `--utc`. */
  when(at: number): string {
    return this.utc ? this.iso(at) : this.#local().when(at);
  }

  /** The local date and time with the zone; ISO with `--utc`. */
  dateTime(at: number): string {
    return this.utc ? this.iso(at) : this.#local().dateTime(at);
  }

  /** A calendar date stored as UTC midnight, as written ("15 de junio de 2026"); ISO with `--utc`. */
  calendarDate(at: number): string {
    if (this.utc) return this.iso(at);
    return new TimeFormatter({ lang: this.#lang, now: this.#clock.now(), timeZone: 'UTC' }).date(at);
  }

  /**
   * How far a calendar date is, in whole days ("dentro de 13 días", "hoy", "hace 3 días"), as the
   * warnings count them; beyond 60 days, months or years.
   */
  calendarRelative(at: number): string {
    const now = this.#clock.now();
    const days = Math.trunc((at - now) / DAY_MS);
    if (Math.abs(days) >= 60) return this.#local().relative(at);
    let format = dayFormats.get(this.#lang);
    if (format === undefined) {
      format = new Intl.RelativeTimeFormat(this.#lang, { numeric: 'auto' });
      dayFormats.set(this.#lang, format);
    }
    return format.format(days, 'day');
  }

  /** The local calendar date of an instant ("30 de diciembre de 2026"); ISO with `--utc`. */
  date(at: number): string {
    return this.utc ? this.iso(at) : this.#local().date(at);
  }

  /** The form of `count` for this language (`Intl.PluralRules`). */
  plural(count: number, forms: CountForms): string {
    return counted(count, forms)[this.#lang];
  }
}
