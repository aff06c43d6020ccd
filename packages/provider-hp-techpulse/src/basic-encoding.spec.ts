import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import { registerSecret } from '../../../test/secrets.js';
import {
  ORIGIN,
  TOKEN_PATH,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshBody,
  withStoredGrant,
} from './__fixtures__/hp-harness.js';
import { hpTechPulseDefinitionWith } from './configure.js';
import { hpTechPulse } from './definition.js';
import { createHpTechPulseModule } from './module.js';

guardNetwork();

/** A secret an RFC 6749 server reads differently when sent unencoded: `+` → space, `%41` → `A`. */
const TRICKY = 'a+b:c/d 50%off x%41y';
const KEY = 'hpKeyPlus0123';
registerSecret(TRICKY, 'HP Basic-encoding spec secret');
// `printf '%s' 'hpKeyPlus0123:a+b:c/d 50%off x%41y' | base64` (plain).
const PLAIN = 'Basic aHBLZXlQbHVzMDEyMzphK2I6Yy9kIDUwJW9mZiB4JTQxeQ==';
// `printf '%s' 'hpKeyPlus0123:a%2Bb%3Ac%2Fd+50%25off+x%2541y' | base64` (RFC 6749 §2.3.1).
const RFC6749 = 'Basic aHBLZXlQbHVzMDEyMzphJTJCYiUzQWMlMkZkKzUwJTI1b2ZmK3glMjU0MXk=';
registerSecret(PLAIN, 'HP Basic-encoding spec header (plain)');
registerSecret(RFC6749, 'HP Basic-encoding spec header (rfc6749)');

describe('Basic encoding option and diagnosis', () => {
  it('a refused plain Basic refresh whose secret holds "+" and "%" names the basicEncoding option, keeps the grant', async () => {
    const h = hpHarness('us', { clientId: KEY, clientSecret: TRICKY });
    await withStoredGrant(h);
    const refresh = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-9'))
      .matchHeader('authorization', PLAIN)
      .reply(401, { error: 'invalid_client', error_description: 'client authentication failed' });
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    refresh.done();
    expect(error).toMatchObject({ code: ErrorCode.InvalidClient, connectorId: 'hp-techpulse' });
    const { localized } = error as { localized: { es: string; en: string } };
    expect(localized.en).toBe(
      'The provider rejected the client (invalid_client, HTTP 401): client authentication failed. Check the client ID and secret of the connection. ' +
        'Likely cause: the Basic encoding. The client ID or secret holds “+” or “%”, and a server that follows RFC 6749 §2.3.1 form-decodes the Basic pair (a “+” arrives as a space, “%41” as “A”): ' +
        "keep the credentials and try the connector module's basicEncoding: 'rfc6749' option (now 'plain') before changing them.",
    );
    expect(localized.es).toContain(
      "pruebe la opción basicEncoding: 'rfc6749' del módulo del conector (hoy 'plain')",
    );
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'active',
      hasRefreshToken: true,
    });
  });

  it('invalid_request (a "%" the server cannot decode) is diagnosed too, as ERR_OAUTH', async () => {
    const h = hpHarness('us', { clientId: KEY, clientSecret: TRICKY });
    await withStoredGrant(h);
    const refresh = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-9'))
      .reply(400, { error: 'invalid_request', error_description: 'client_secret could not be decoded' });
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    refresh.done();
    expect(error).toMatchObject({ code: ErrorCode.OAuthError, oauthError: 'invalid_request', status: 400 });
    expect((error as Error).message).toContain("basicEncoding: 'rfc6749'");
  });

  it('credentials without "+" or "%" keep the plain "check the client ID and secret" message', async () => {
    const h = hpHarness('us', { clientId: KEY, clientSecret: 'Alnum-0123_456.789/x' });
    await withStoredGrant(h);
    const refresh = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-9'))
      .reply(401, { error: 'invalid_client' });
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    refresh.done();
    expect(error).toMatchObject({ code: ErrorCode.InvalidClient });
    expect((error as Error).message).toBe(
      'The provider rejected the client (invalid_client, HTTP 401). Check the client ID and secret of the connection.',
    );
  });

  it('createHpTechPulseModule({ basicEncoding: "rfc6749" }) form-encodes the refresh pair; the exchange stays in the body', async () => {
    const h = hpHarness(
      'us',
      { clientId: KEY, clientSecret: TRICKY },
      createHpTechPulseModule({ basicEncoding: 'rfc6749' }),
    );
    expect(h.connector.manifest.clientAuthentication).toEqual({
      codeExchange: { method: 'client_secret_post', encoding: undefined },
      refresh: { method: 'client_secret_basic', encoding: 'rfc6749' },
    });
    await withStoredGrant(h);
    const refresh = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-9'))
      .matchHeader('authorization', RFC6749)
      .reply(200, hpToken('AT-2', 'RT-2'));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    refresh.done();
  });

  it('no option is the documented definition itself; an unknown encoding fails when the module is built', () => {
    expect(hpTechPulseDefinitionWith()).toBe(hpTechPulse);
    expect(hpTechPulseDefinitionWith({ basicEncoding: 'plain' })).toBe(hpTechPulse);
    expect(() => createHpTechPulseModule({ basicEncoding: 'latin1' as 'plain' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration, connectorId: 'hp-techpulse' }),
    );
  });
});
