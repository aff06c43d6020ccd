import { inspect } from 'node:util';
import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused } from '../../kit/callback.js';
import { check, expectTokenRequests } from '../../kit/expect.js';
import { expectFirstGrantFailure } from '../../kit/first-grant.js';
import { defineScenario } from '../../scenario.js';
import { always, authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/** What an error shows a person or a log: its message and its JSON form. */
const shown = (error: Error): string => `${error.message} ${JSON.stringify(error)}`;

/**
 * The authorization code expired before the exchange (HP's codes are very short-lived): the
 * provider answers `invalid_grant`. A typed error, no retry (the code is dead), and the pending
 * authorization is consumed — replaying the callback makes no second request.
 */
export const expiredCode = defineScenario({
  id: 'token-response.expired-code',
  title: 'invalid_grant on the code exchange: typed error, no retry, pending authorization consumed',
  family: 'token-response',
  rule: rfc(6749, '5.2'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, attempt } = await expectFirstGrantFailure(
      ctx,
      (token) =>
        token.reply(400, { error: 'invalid_grant', error_description: 'The authorization code has expired' }),
      ErrorCode.InvalidAuthorizationCode,
      'an expired authorization code',
    );
    expectTokenRequests(ctx, 1, 'for an expired code (no retry)');
    await expectCallbackRefused(
      ctx,
      connection,
      attempt.callback ?? '',
      'replaying the callback of the failed exchange',
      [ErrorCode.StateMismatch, ErrorCode.StateExpired],
    );
    expectTokenRequests(ctx, 1, 'after replaying the callback');
    const status = await ctx.connector.getStatus(connection);
    check(status.state === 'not_authorized', `the connection is ${status.state} after a failed exchange`);
  },
});

/**
 * The provider rejects the client (`invalid_client`, HTTP 401 with a WWW-Authenticate challenge,
 * RFC 6749 §5.2): the settings are wrong, retrying cannot help.
 */
export const invalidClient = defineScenario({
  id: 'token-response.invalid-client',
  title: 'invalid_client with 401: typed error naming the client settings, no retry',
  family: 'token-response',
  rule: rfc(6749, '5.2'),
  appliesTo: always,
  async run(ctx) {
    const { error } = await expectFirstGrantFailure(
      ctx,
      (token) =>
        token.reply(
          401,
          { error: 'invalid_client', error_description: 'Client authentication failed' },
          { 'WWW-Authenticate': 'Basic realm="conformance"' },
        ),
      ErrorCode.InvalidClient,
      'invalid_client',
    );
    expectTokenRequests(ctx, 1, 'for invalid_client (no retry)');
    const { id, secret } = ctx.manifest.clientFields;
    const told = shown(error);
    check(
      told.includes(`/${id}`) || told.includes(`/${secret}`),
      `the invalid_client error does not name the settings to fix (/${id}, /${secret})`,
    );
  },
});

/** A marker in bodies that must never be copied into an error. */
export const BODY_MARKER = 'kit-body-marker-7c1e';

function expectBodyNotEchoed(error: Error, what: string): void {
  for (const shown of [error.message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
    check(!shown.includes(BODY_MARKER), `${what}: the error repeats the response body`);
  }
}

/**
 * A 200 that is an HTML page (a login page, a proxy's error page): an invalid-provider-response
 * error that tells the status and content type — never the body.
 */
export const htmlBody = defineScenario({
  id: 'token-response.html-body',
  title: 'An HTML 200 is an invalid provider response with status and content type, never the body',
  family: 'token-response',
  rule: rfc(6749, '5.1'),
  appliesTo: always,
  async run(ctx) {
    const { error } = await expectFirstGrantFailure(
      ctx,
      (token) =>
        token.reply(200, `<!doctype html><html><body><h1>Sign in</h1><p>${BODY_MARKER}</p></body></html>`, {
          'Content-Type': 'text/html; charset=utf-8',
        }),
      ErrorCode.InvalidProviderResponse,
      'an HTML token response',
    );
    expectBodyNotEchoed(error, 'an HTML token response');
    const told = shown(error);
    check(
      told.includes('200') && told.includes('text/html'),
      'the error does not tell the status (200) and content type (text/html)',
    );
    expectTokenRequests(ctx, 1, 'for an HTML response');
  },
});

/** A 200 claiming JSON whose body is cut short. */
export const nonJsonBody = defineScenario({
  id: 'token-response.non-json-body',
  title: 'A 200 whose body is not JSON is an invalid provider response, never echoed',
  family: 'token-response',
  rule: rfc(6749, '5.1'),
  appliesTo: always,
  async run(ctx) {
    const { error } = await expectFirstGrantFailure(
      ctx,
      (token) =>
        token.reply(
          200,
          `{"access_token":"${ctx.values.accessToken()}","token_type":"Bearer","note":"${BODY_MARKER}`,
          { 'Content-Type': 'application/json' },
        ),
      ErrorCode.InvalidProviderResponse,
      'a truncated JSON token response',
    );
    expectBodyNotEchoed(error, 'a truncated JSON token response');
    expectTokenRequests(ctx, 1, 'for a truncated JSON response');
  },
});

/** `access_token` is REQUIRED (RFC 6749 §5.1). */
export const missingAccessToken = defineScenario({
  id: 'token-response.missing-access-token',
  title: 'A token response without access_token is an invalid provider response',
  family: 'token-response',
  rule: rfc(6749, '5.1'),
  appliesTo: always,
  async run(ctx) {
    await expectFirstGrantFailure(
      ctx,
      (token) => token.reply(200, { token_type: 'Bearer', expires_in: 3600, note: BODY_MARKER }),
      ErrorCode.InvalidProviderResponse,
      'a token response without access_token',
    );
    expectTokenRequests(ctx, 1, 'for a response without access_token');
  },
});
