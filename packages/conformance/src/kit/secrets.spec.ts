import { REDACTED, SecretRegistry } from './secrets.js';

describe('SecretRegistry', () => {
  it('finds a secret as is, percent-encoded, form-encoded and JSON-escaped, by kind', () => {
    const secrets = new SecretRegistry();
    secrets.add('client secret', 'kit secret/with "quotes"+');
    expect(secrets.find('plain kit secret/with "quotes"+ text')).toEqual(['client secret']);
    expect(secrets.find(`url?x=${encodeURIComponent('kit secret/with "quotes"+')}`)).toEqual([
      'client secret',
    ]);
    expect(secrets.find('body=kit+secret%2Fwith+%22quotes%22%2B')).toEqual(['client secret']);
    expect(secrets.find(JSON.stringify({ m: 'kit secret/with "quotes"+' }))).toEqual(['client secret']);
    expect(secrets.find('nothing here')).toEqual([]);
  });

  it('ignores values shorter than 8 characters and keeps the first kind of a value', () => {
    const secrets = new SecretRegistry();
    secrets.add('access token', 'short');
    secrets.add('access token', 'kit-at-1.abcdef');
    secrets.add('credential', 'kit-at-1.abcdef');
    expect(secrets.find('short kit-at-1.abcdef')).toEqual(['access token']);
  });

  it('redacts the longest match first and merges registries', () => {
    const a = new SecretRegistry();
    a.add('refresh token', 'kit-rt-1.abcdef');
    const b = new SecretRegistry();
    b.add('refresh token', 'kit-rt-1.abcdef-longer');
    a.merge(b);
    expect(a.redact('x kit-rt-1.abcdef-longer y kit-rt-1.abcdef')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });
});
