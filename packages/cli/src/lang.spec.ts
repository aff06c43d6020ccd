import { detectLang, isLang } from './lang.js';

describe('detectLang', () => {
  it.each([
    [undefined, {}, 'es'],
    ['en', { AIC_LANG: 'es' }, 'en'],
    ['EN_us', {}, 'en'],
    [undefined, { AIC_LANG: 'en' }, 'en'],
    [undefined, { AIC_LANG: 'fr', LANG: 'en_GB.UTF-8' }, 'en'],
    [undefined, { LC_ALL: 'es_MX.UTF-8', LANG: 'en_US.UTF-8' }, 'es'],
    [undefined, { LC_MESSAGES: 'en_US', LANG: 'es_CO' }, 'en'],
    [undefined, { LANG: 'C.UTF-8' }, 'es'],
  ] as const)('flag %s, env %j → %s', (flag, env, lang) => {
    expect(detectLang(flag, env)).toBe(lang);
  });

  it('accepts es, en and their locales only', () => {
    expect(isLang('es')).toBe(true);
    expect(isLang('en_US')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang('')).toBe(false);
  });
});
