import { ManualClock } from '@aic/connector-core';
import { Times, counted, durationText } from './times.js';

const NOW = Date.UTC(2026, 11, 18, 19, 5); // 18 Dec 2026, 14:05 in Bogotá
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const times = (lang: 'es' | 'en', utc = false, timeZone = 'America/Bogota') =>
  new Times({ lang, clock: new ManualClock(NOW), timeZone, utc });

describe('Times', () => {
  it('local and relative, measured from the clock', () => {
    const es = times('es');
    expect(es.distance(NOW + 25 * 60_000)).toBe('25 min');
    expect(es.distance(NOW - 3 * HOUR)).toBe('3 h');
    expect(es.when(NOW + HOUR)).toBe('15:05 GMT-5');
    expect(es.when(NOW + 12 * DAY)).toBe('30 de diciembre de 2026 a las 14:05 GMT-5');
    expect(es.relative(NOW + 12 * DAY)).toBe('dentro de 12 días');
    expect(times('en').when(NOW + HOUR)).toBe('3:05 PM GMT-5');
    expect(times('en').date(NOW + 12 * DAY)).toBe('December 30, 2026');
  });

  it('calendar dates are the date written, counted in whole days as the warnings count them', () => {
    const at = Date.UTC(2026, 11, 30); // written as 2026-12-30
    expect(times('es').calendarDate(at)).toBe('30 de diciembre de 2026');
    expect(times('es').calendarRelative(at)).toBe('dentro de 11 días');
    expect(times('en').calendarRelative(Date.UTC(2026, 11, 18))).toBe('today');
    expect(times('en').calendarRelative(Date.UTC(2026, 11, 15))).toBe('3 days ago');
    expect(times('en').calendarRelative(Date.UTC(2027, 5, 30))).toBe('in 6 months');
  });

  it('--utc gives the raw ISO 8601 instant', () => {
    const utc = times('es', true);
    expect(utc.when(NOW + HOUR)).toBe('2026-12-18T20:05:00.000Z');
    expect(utc.dateTime(NOW)).toBe('2026-12-18T19:05:00.000Z');
    expect(utc.calendarDate(Date.UTC(2026, 11, 30))).toBe('2026-12-30T00:00:00.000Z');
    expect(utc.utc).toBe(true);
  });

  it('an unknown TZ falls back to the process zone instead of failing', () => {
    expect(() => times('es', false, ':/etc/localtime').when(NOW)).not.toThrow();
    expect(times('es', false, 'Not/AZone').iso(NOW)).toBe('2026-12-18T19:05:00.000Z');
  });
});

describe('plurals through Intl.PluralRules', () => {
  const forms = {
    es: { one: '# argumento', other: '# argumentos' },
    en: { one: '# argument', other: '# arguments' },
  };

  it.each([
    [0, '0 argumentos', '0 arguments'],
    [1, '1 argumento', '1 argument'],
    [2, '2 argumentos', '2 arguments'],
    [1000, '1000 argumentos', '1,000 arguments'],
  ])('%i', (count, es, en) => {
    expect(counted(count, forms)).toEqual({ es, en });
    expect(times('es').plural(count, forms)).toBe(es);
  });

  it('durations in both languages', () => {
    expect(durationText(300_000)).toEqual({ es: '5 minutos', en: '5 minutes' });
    expect(durationText(1000)).toEqual({ es: '1 segundo', en: '1 second' });
  });
});
