import { inspect } from 'node:util';
import { MemoryLogger, redactingLogger, silentLogger } from './logger.js';
import { REDACTED, isSecretKey, redactFields, sanitizeProviderText, scrubSecrets } from './redaction.js';

describe('redaction', () => {
  it.each([
    'access_token',
    'accessToken',
    'Refresh-Token',
    'id_token',
    'client_secret',
    'clientSecret',
    'password',
    'code',
    'code_verifier',
    'Authorization',
    'token',
    'secret',
    'set-cookie',
    'apiKey',
  ])('treats %s as secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['connectionId', 'status', 'expiresAt', 'grantType', 'codes', 'tokenType'])(
    'leaves %s alone',
    (key) => expect(isSecretKey(key)).toBe(false),
  );

  it('redacts nested fields and arrays, cuts cycles and depth, leaves the input untouched', () => {
    const input: Record<string, unknown> = {
      connectionId: 'c-1',
      tokens: { access_token: 'AT-secret', refresh_token: 'RT-secret', expiresAt: 5 },
      list: [{ client_secret: 'S' }, 'plain'],
    };
    input['self'] = input;
    const out = redactFields(input) as Record<string, unknown>;
    expect(out).toEqual({
      connectionId: 'c-1',
      tokens: { access_token: REDACTED, refresh_token: REDACTED, expiresAt: 5 },
      list: [{ client_secret: REDACTED }, 'plain'],
      self: '[…]',
    });
    expect((input['tokens'] as Record<string, unknown>)['access_token']).toBe('AT-secret');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(JSON.stringify(redactFields(deep))).toContain('"[…]"');
    const error = new Error('kept as is');
    expect(redactFields({ error })).toEqual({ error });
    expect(redactFields('text')).toBe('text');
    expect(redactFields(null)).toBeNull();
  });

  it('scrubs secret values (4+ chars) out of provider text', () => {
    expect(scrubSecrets('bad secret s3cr3t-value for code abc', ['s3cr3t-value', 'abc', undefined])).toBe(
      `bad secret ${REDACTED} for code abc`,
    );
    expect(scrubSecrets('x s3cr3t s3cr3t', ['s3cr3t'])).toBe(`x ${REDACTED} ${REDACTED}`);
  });

  it('sanitises provider text: control characters out, length cut, non-strings ignored', () => {
    expect(sanitizeProviderText('line\r\nbreak\u0000 \u007f')).toBe('line  break');
    expect(sanitizeProviderText('x'.repeat(10), 4)).toBe('xxxx…');
    expect(sanitizeProviderText(42)).toBeUndefined();
  });
});

describe('logger port', () => {
  it('redactingLogger redacts secret-named fields before the host logger sees them', () => {
    const inner = new MemoryLogger();
    const logger = redactingLogger(inner);
    logger.log('info', 'token refreshed', {
      connectionId: 'c-1',
      accessToken: 'AT-leak',
      nested: { refresh_token: 'RT-leak', code_verifier: 'V-leak' },
    });
    logger.log('debug', 'no fields');
    expect(inner.entries).toEqual([
      {
        level: 'info',
        message: 'token refreshed',
        fields: {
          connectionId: 'c-1',
          accessToken: REDACTED,
          nested: { refresh_token: REDACTED, code_verifier: REDACTED },
        },
      },
      { level: 'debug', message: 'no fields' },
    ]);
    for (const line of inner.lines()) expect(line).not.toMatch(/AT-leak|RT-leak|V-leak/);
    expect(inspect(inner.entries)).not.toMatch(/leak/);
  });

  it('silentLogger discards', () => {
    expect(silentLogger.log('error', 'x', { a: 1 })).toBeUndefined();
  });
});
