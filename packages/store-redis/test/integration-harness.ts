import { connectionKey, type TokenStore } from '@aic/connector-core';
import { accessTokenOf, refreshTokenOf } from './token-endpoint.js';

/** The store key of fixture connection `id`. */
export const fixtureKey = (id: string): string => connectionKey('fixture', id);

/**
 * Stores an authorized connection `id` whose access token (`AT:<id>:0`) has just expired, with
 * refresh token `RT:<id>:0`, so the next `getAccessToken` refreshes.
 */
export function seedExpiredConnection(store: TokenStore, id: string): Promise<void> {
  const now = Date.now();
  return store.set(fixtureKey(id), {
    status: 'active',
    tokens: {
      accessToken: accessTokenOf(id, 0),
      tokenType: 'Bearer',
      expiresAt: now - 1,
      issuedAt: now - 1_000,
      refreshToken: refreshTokenOf(id, 0),
    },
    authorizedAt: now - 1_000,
    updatedAt: now - 1_000,
  });
}
