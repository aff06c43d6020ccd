import { TimeFormatter, bestUnit } from './time-format.js';

const NOW = Date.UTC(2026, 11, 18, 19, 5); // 18 Dec 2026, 14:05 in Bogotá (UTC-5)
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const es = new TimeFormatter({ lang: 'es', now: NOW, timeZone: 'America/Bogota' });
const en = new TimeFormatter({ lang: 'en', now: NOW, timeZone: 'America/Bogota' });

describe('bestUnit', () => {
  it.each([
    [0, 0, 'second'],
    [29_400, 29, 'second'],
    [59_600, 1, 'minute'], // 60 s rounds up into the next unit
    [25 * MIN + 20_000, 25, 'minute'],
    [59 * MIN + 40_000, 1, 'hour'],
    [90 * MIN, 2, 'hour'],
    [23 * HOUR + 40 * MIN, 1, 'day'],
    [12 * DAY + 3 * HOUR, 12, 'day'],
    [59 * DAY, 59, 'day'],
    [300 * DAY, 10, 'month'],
    [800 * DAY, 2, 'year'],
  ])('%d ms reads as %d %s', (ms, value, unit) => {
    expect(bestUnit(ms)).toEqual({ value, unit });
    expect(bestUnit(-ms)).toEqual({ value: value === 0 ? 0 : -value, unit });
  });

  it('never gives -0', () => {
    expect(Object.is(bestUnit(-100).value, 0)).toBe(true);
  });
});

describe('TimeFormatter.relative', () => {
  it.each([
    [25 * MIN, 'dentro de 25 minutos', 'in 25 minutes'],
    [-2 * HOUR, 'hace 2 horas', '2 hours ago'],
    [DAY, 'mañana', 'tomorrow'],
    [-DAY, 'ayer', 'yesterday'],
    [-3 * DAY, 'hace 3 días', '3 days ago'],
    [12 * DAY, 'dentro de 12 días', 'in 12 days'],
    [0, 'ahora', 'now'],
    [300 * DAY, 'dentro de 10 meses', 'in 10 months'],
  ])('%d ms from now', (offset, spanish, english) => {
    expect(es.relative(NOW + offset)).toBe(spanish);
    expect(en.relative(NOW + offset)).toBe(english);
  });

  it('measures from the injected now, not the system clock', () => {
    const later = new TimeFormatter({ lang: 'en', now: NOW + HOUR, timeZone: 'UTC' });
    expect(later.relative(NOW + 2 * HOUR)).toBe('in 1 hour');
    expect(later.relative(NOW)).toBe('1 hour ago');
  });
});

describe('TimeFormatter.duration', () => {
  it('formats a span without direction, long or short', () => {
    expect(es.duration(25 * MIN, 'short')).toBe('25 min');
    expect(en.duration(25 * MIN, 'short')).toBe('25 min');
    expect(es.duration(DAY)).toBe('1 día');
    expect(en.duration(-3 * DAY)).toBe('3 days');
    expect(es.duration(3 * HOUR)).toBe('3 horas');
  });
});

describe('TimeFormatter dates', () => {
  const deadline = Date.UTC(2026, 11, 30, 19, 5);

  it('shows the local date in the configured zone', () => {
    expect(es.date(deadline)).toBe('30 de diciembre de 2026');
    expect(en.date(deadline)).toBe('December 30, 2026');
    // 03:00 UTC on the 31st is still the 30th in Bogotá.
    expect(es.date(Date.UTC(2026, 11, 31, 3))).toBe('30 de diciembre de 2026');
  });

  it('shows a calendar date (UTC midnight) as the same date in every zone', () => {
    const expiry = Date.UTC(2027, 10, 1); // "2027-11-01"
    expect(es.date(expiry)).toBe('31 de octubre de 2027'); // an instant: the evening before in Bogotá
    expect(es.calendarDate(expiry)).toBe('1 de noviembre de 2027');
    expect(en.calendarDate(expiry)).toBe('November 1, 2027');
  });

  it('shows date and time with the zone name', () => {
    expect(es.dateTime(deadline)).toBe('30 de diciembre de 2026 a las 14:05 GMT-5');
    expect(en.dateTime(deadline)).toBe('December 30, 2026 at 2:05 PM GMT-5');
    const utc = new TimeFormatter({ lang: 'es', now: NOW, timeZone: 'UTC' });
    expect(utc.dateTime(deadline)).toBe('30 de diciembre de 2026 a las 19:05 UTC');
    expect(utc.timeZone).toBe('UTC');
  });

  it('shows only the time for an instant later today', () => {
    expect(es.when(NOW + 25 * MIN)).toBe('14:30 GMT-5');
    expect(en.when(NOW + 25 * MIN)).toBe('2:30 PM GMT-5');
    expect(es.isToday(NOW + 12 * HOUR)).toBe(false); // 02:05 on the 19th in Bogotá
    expect(es.when(NOW + 12 * HOUR)).toBe('19 de diciembre de 2026 a las 2:05 GMT-5');
  });

  it('refuses an unknown time zone when built', () => {
    expect(() => new TimeFormatter({ lang: 'es', now: NOW, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it("defaults to the process's zone", () => {
    const local = new TimeFormatter({ lang: 'en', now: NOW });
    expect(local.timeZone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe('TimeFormatter.plural', () => {
  const argumentos = { one: '# argumento', other: '# argumentos' };
  const argumentsEn = { one: '# argument', other: '# arguments' };

  it('picks the CLDR form of the language', () => {
    expect(es.plural(1, argumentos)).toBe('1 argumento');
    expect(es.plural(0, argumentos)).toBe('0 argumentos');
    expect(es.plural(3, argumentos)).toBe('3 argumentos');
    expect(en.plural(1, argumentsEn)).toBe('1 argument');
    expect(en.plural(2, argumentsEn)).toBe('2 arguments');
  });

  it('formats the count for the language and falls back to "other"', () => {
    expect(en.plural(1234, { other: '# days' })).toBe('1,234 days');
    expect(es.plural(1, { other: '# días' })).toBe('1 días');
    expect(es.plural(12345, { other: '# días' })).toBe('12.345 días');
  });
});
