import { ErrorCode } from '../errors/codes.js';
import { fixtureDefinition } from '../__fixtures__/fixture-provider.js';
import { clientSecretBasic, clientSecretPost } from '../oauth/client-authentication.js';
import { withBasicEncoding } from './basic-encoding-option.js';
import type { ProviderDefinition } from './definition.js';

describe('withBasicEncoding', () => {
  const code = {
    ...fixtureDefinition,
    grant: {
      ...fixtureDefinition.grant,
      type: 'authorization_code',
      codeExchangeAuth: clientSecretPost(),
      refreshAuth: clientSecretBasic({ encoding: 'plain' }),
    },
  } as unknown as ProviderDefinition;

  it('switches every Basic authentication and leaves body authentication alone', () => {
    const next = withBasicEncoding(code, { basicEncoding: 'rfc6749' });
    expect(next.grant.type).toBe('authorization_code');
    if (next.grant.type !== 'authorization_code') return;
    expect(next.grant.codeExchangeAuth).toBe((code.grant as typeof next.grant).codeExchangeAuth);
    expect(next.grant.refreshAuth).toMatchObject({ method: 'client_secret_basic', encoding: 'rfc6749' });
  });

  it('client credentials: the grant and the refresh', () => {
    const cc = {
      ...fixtureDefinition,
      grant: {
        type: 'client_credentials',
        auth: clientSecretBasic({ encoding: 'plain' }),
        refreshAuth: clientSecretBasic({ encoding: 'plain' }),
      },
    } as unknown as ProviderDefinition;
    const next = withBasicEncoding(cc, { basicEncoding: 'rfc6749' });
    expect(next.grant).toMatchObject({
      auth: { method: 'client_secret_basic', encoding: 'rfc6749' },
      refreshAuth: { method: 'client_secret_basic', encoding: 'rfc6749' },
    });
  });

  it('returns the definition itself without an option or when nothing changes', () => {
    expect(withBasicEncoding(code)).toBe(code);
    expect(withBasicEncoding(code, { basicEncoding: 'plain' })).toBe(code);
  });

  it('refuses an unknown encoding with ERR_CONFIGURATION naming the connector', () => {
    expect(() => withBasicEncoding(code, { basicEncoding: 'latin1' as 'plain' })).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        connectorId: code.id,
        message: `Unknown Basic encoding for ${code.id}: use plain or rfc6749.`,
      }),
    );
  });
});
