/**
 * Property: `processTokenResponse` turns ANY status, headers and body into a TokenSet or a typed
 * `ConnectorError` — never another exception — and the error never shows the body, a token from
 * the body, or a secret of the request (even when the provider echoes it in its error text).
 */
import fc from 'fast-check';
import { ErrorCode } from '../src/errors/codes.js';
import { isConnectorError } from '../src/errors/connector-error.js';
import type { HttpResponse } from '../src/http/send.js';
import { processTokenResponse, type TokenResponseOptions } from '../src/oauth/token-response.js';
import type { ExpiryPolicy } from '../src/tokens/expiry-policy.js';
import type { TokenSet } from '../src/tokens/token-set.js';
import { renderForScan, scanValue } from '../../../test/leak-scan.js';
import { Figures } from './support/figures.js';
import { checkProperty } from './support/fuzz.js';

const figures = new Figures('token-response-fuzz');
afterAll(() => figures.report());

const NOW = Date.UTC(2026, 5, 1);
const TYPED_CODES = new Set<string>([
  ErrorCode.InvalidProviderResponse,
  ErrorCode.InvalidClient,
  ErrorCode.ReauthorizationRequired,
  ErrorCode.InvalidAuthorizationCode,
  ErrorCode.OAuthError,
]);

/** Yi syllables: never part of any message text, so any run of them in an error came from a secret. */
const YI = fc.integer({ min: 0xa000, max: 0xa48c }).map((c) => String.fromCodePoint(c));
/** Request secrets: Yi text, now and then with a control character, quote, backslash or space inside. */
const secret = fc.string({
  unit: fc.oneof(
    { arbitrary: YI, weight: 12 },
    { arbitrary: fc.constantFrom('\n', '\t', '\u0000', ' ', '"', '\\'), weight: 1 },
  ),
  minLength: 12,
  maxLength: 40,
});
/** Token values in bodies: long enough that any appearance in an error is a leak. */
const token = fc.string({ unit: 'grapheme-ascii', minLength: 16, maxLength: 60 });
const filler = fc.string({ unit: 'grapheme-ascii', maxLength: 260 });

const weird = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.nat(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);

/** Mostly the valid value, sometimes an odd one, sometimes anything. */
const usually = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: odd, weight: 1 }, { arbitrary: weird, weight: 1 });

const tokenFields = {
  access_token: usually(token, fc.constant('')),
  token_type: usually(fc.constantFrom('Bearer', 'bearer', 'BEARER'), fc.constantFrom('mac', 'DPoP', '')),
  expires_in: usually(fc.nat(), fc.constantFrom(1799999, '3600', ' 60 ', '1e3', '-1', -5, 1.5, 'NaN')),
  refresh_token: usually(token, fc.constant('')),
  id_token: token,
  scope: usually(fc.string({ maxLength: 30 }), fc.constant('')),
};
const tokenBody = fc.oneof(
  { arbitrary: fc.record(tokenFields, { requiredKeys: ['access_token', 'token_type'] }), weight: 3 },
  { arbitrary: fc.record(tokenFields, { requiredKeys: [] }), weight: 1 },
);

/** An OAuth error body; `error_description` (and now and then `error`) echoes request secrets. */
const errorBody = (secrets: readonly string[]) =>
  fc.record(
    {
      error: fc.oneof(
        fc.constantFrom(
          'invalid_client',
          'invalid_grant',
          'invalid_request',
          'unauthorized_client',
          'invalid_scope',
        ),
        fc.string({ maxLength: 80 }),
        fc.constantFrom(...secrets),
      ),
      error_description: fc.oneof(
        fc.tuple(filler, fc.constantFrom(...secrets), filler).map(([a, s, b]) => `${a}${s}${b}`),
        weird,
      ),
      access_token: token,
    },
    { requiredKeys: ['error'] },
  );

const bodyOf = (secrets: readonly string[]) =>
  fc.oneof(
    { arbitrary: tokenBody.map((b) => JSON.stringify(b)), weight: 4 },
    errorBody(secrets).map((b) => JSON.stringify(b)),
    tokenBody.chain((b) => {
      const json = JSON.stringify(b);
      return fc.nat({ max: json.length }).map((cut) => json.slice(0, cut));
    }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.constantFrom('<html><body>Bad Gateway</body></html>', ''),
  );

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
);
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html'),
      fc.string({ maxLength: 30 }),
    ),
    'www-authenticate': fc.oneof(
      fc.constantFrom('Basic realm="x"', 'Bearer error="invalid_client"', 'Bearer error=invalid_token'),
      fc.string({ maxLength: 40 }),
    ),
    'retry-after': fc.string({ maxLength: 10 }),
    'x-extra': headerValue,
  },
  { requiredKeys: [] },
);

const status = fc.oneof(
  { arbitrary: fc.constant(200), weight: 6 },
  { arbitrary: fc.constantFrom(400, 401, 403, 500, 503), weight: 1 },
  { arbitrary: fc.integer({ min: 100, max: 599 }), weight: 2 },
);

const policy: fc.Arbitrary<ExpiryPolicy> = fc.record({
  expiresInUnit: fc.constantFrom('seconds', 'milliseconds'),
  defaultLifetimeSeconds: fc.integer({ min: 1, max: 86_400 }),
  refreshMarginSeconds: fc.integer({ min: 0, max: 600 }),
  maxLifetimeSeconds: fc.option(fc.integer({ min: 1, max: 86_400 }), { nil: undefined }),
});

const scenario = fc.array(secret, { minLength: 1, maxLength: 3 }).chain((secrets) =>
  fc.record({
    secrets: fc.constant(secrets),
    response: fc.record({ status, headers, body: bodyOf(secrets) }),
    grantType: fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials') as fc.Arbitrary<
      TokenResponseOptions['grantType']
    >,
    expiry: policy,
    previousRefreshToken: fc.option(token, { nil: undefined }),
  }),
);

function checkTokenSet(tokens: TokenSet, body: string, status: number, previous: string | undefined): void {
  const json = JSON.parse(body) as Record<string, unknown>;
  expect(status).toBe(200);
  expect(tokens.accessToken).toBe(json['access_token']);
  expect(typeof tokens.tokenType).toBe('string');
  expect(tokens.issuedAt).toBe(NOW);
  expect(Number.isFinite(tokens.expiresAt) && tokens.expiresAt >= NOW).toBe(true);
  const sent = json['refresh_token'];
  expect(tokens.refreshToken).toBe(typeof sent === 'string' && sent !== '' ? sent : previous);
}

/** Runs of four or more Yi syllables of a secret: any of them in an error is (part of) the secret. */
const secretFragments = (value: string): string[] => value.match(/[\uA000-\uA48C]{4,}/g) ?? [];

it('any status, headers and body → a TokenSet or a typed error that shows no body, token or secret', () => {
  checkProperty(
    figures,
    'token response: any status, headers and body',
    fc.property(scenario, ({ secrets, response, grantType, expiry, previousRefreshToken }) => {
      const http: HttpResponse = {
        status: response.status,
        headers: response.headers,
        body: Buffer.from(response.body, 'utf8'),
      };
      let tokens: TokenSet;
      try {
        tokens = processTokenResponse(http, { grantType, expiry, now: NOW, previousRefreshToken, secrets });
      } catch (error) {
        if (!isConnectorError(error) || !TYPED_CODES.has(error.code)) throw error;
        figures.add(`outcome: ${error.code}`);
        const shown = renderForScan(error)
          .map((v) => v.text)
          .join('\n');
        for (const s of secrets)
          for (const fragment of secretFragments(s)) expect(shown).not.toContain(fragment);
        const tokensInBody = [
          ...response.body.matchAll(/"(?:access|refresh|id)_token":"((?:[^"\\]|\\.){16,})"/g),
        ].map((m) => JSON.parse(`"${m[1]}"`) as string);
        expect(
          scanValue(
            error,
            tokensInBody.map((value) => ({ value, label: 'body token' })),
          ),
        ).toEqual([]);
        const headerTexts = Object.values(response.headers).flat().join('\n');
        if (response.body.length >= 16 && !headerTexts.includes(response.body))
          expect(shown).not.toContain(response.body);
        return;
      }
      figures.add('outcome: token set');
      checkTokenSet(tokens, response.body, response.status, previousRefreshToken);
    }),
    2,
  );
});
