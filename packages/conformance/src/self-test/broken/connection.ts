import {
  OAuthConnector,
  type AccessToken,
  type ApiRequest,
  type ConnectionInput,
  type GetAccessTokenOptions,
  type PendingAuthorizationStore,
} from '@aic/connector-core';
import { DelegatingConnector } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/**
 * One token for the whole connector: the first connection that gets one serves every other
 * connection's token and API calls (a `this.token` field instead of a per-connection cache).
 */
class SharedToken extends DelegatingConnector {
  #first: ConnectionInput | undefined;

  override async getAccessToken(
    connection: ConnectionInput,
    options?: GetAccessTokenOptions,
  ): Promise<AccessToken> {
    const token = await super.getAccessToken(this.#first ?? connection, options);
    this.#first ??= connection;
    return token;
  }

  override request(connection: ConnectionInput, request: ApiRequest) {
    this.#first ??= connection;
    return super.request(this.#first, request);
  }

  override async disconnect(connection: ConnectionInput): Promise<void> {
    if (this.#first?.id === connection.id) this.#first = undefined;
    await super.disconnect(connection);
  }
}

/** `disconnect` that does nothing: the tokens (and any pending authorization) survive it. */
class KeepsEverything extends DelegatingConnector {
  override disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

/** A pending-authorization store whose `forgetConnection` forgets nothing. */
function keepingPending(store: PendingAuthorizationStore): PendingAuthorizationStore {
  return {
    put: (key, pending) => store.put(key, pending),
    take: (key) => store.take(key),
    forgetConnection: () => Promise.resolve(0),
  };
}

export const sharedToken: BrokenConnector = {
  name: 'shared-token',
  breaks: 'serves one connection’s access token to every connection of the connector',
  module: moduleOf((runtime) => new SharedToken(new OAuthConnector(referenceCode, runtime))),
  // token-type and basic-encoding also give two connections a token each and see one's token
  // (or its refresh) used for the other.
  caughtBy: ['token-request.basic-encoding', 'token-response.token-type', 'connection.token-isolation'],
};

export const disconnectKeepsTokens: BrokenConnector = {
  name: 'disconnect-keeps-tokens',
  breaks: 'keeps the tokens and pending authorizations when disconnected',
  module: moduleOf((runtime) => new KeepsEverything(new OAuthConnector(referenceCode, runtime))),
  caughtBy: ['connection.disconnect-forgets-tokens', 'connection.disconnect-forgets-pending'],
};

export const disconnectKeepsPending: BrokenConnector = {
  name: 'disconnect-keeps-pending',
  breaks: 'forgets the tokens on disconnect but lets an authorization started before it complete',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, { ...runtime, pendingStore: keepingPending(runtime.pendingStore) }),
  ),
  caughtBy: ['connection.disconnect-forgets-pending'],
};
