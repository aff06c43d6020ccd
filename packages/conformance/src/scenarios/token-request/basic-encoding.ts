import { ErrorCode, type BasicEncoding, type ConnectorManifest } from '@aic/connector-core';
import { diagnoseBasicHeader, expectedBasicHeader, rfc6749FormEncode } from '../../kit/basic.js';
import type { ScenarioContext } from '../../kit/context.js';
import {
  check,
  describeError,
  errorCode,
  expectRejected,
  expectTokenRequests,
  fail,
} from '../../kit/expect.js';
import { obtainToken, reachExpiry, startFlow, tokenBody } from '../../kit/flows.js';
import { declaredAuth, exerciseGrants, grantKinds, type GrantKind } from '../../kit/grants.js';
import { KIT_CLIENT_ID } from '../../kit/values.js';
import { defineScenario, type ScenarioSubject } from '../../scenario.js';
import { rfc } from '../rules.js';

interface Vector {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Only for this mode (the RFC vector means something only in rfc6749 mode). */
  readonly mode?: BasicEncoding;
  /** The user part of the pair, written out by hand (PROVIDERS.md). */
  readonly expectedUser?: string;
}

const LONG_SECRET = Array.from({ length: 200 }, (_, i) => 'Ab9-._~+/=xYz'[i % 13]).join('');

/** Credentials a naive Basic encoder gets wrong (PROVIDERS.md, "Client authentication with HTTP Basic"). */
export const BASIC_VECTORS: readonly Vector[] = [
  {
    name: 'plain alphanumeric credentials',
    clientId: 'conformanceClient',
    clientSecret: 'kitPlainSecret0123456789',
  },
  { name: 'a colon in the secret', clientId: KIT_CLIENT_ID, clientSecret: 'kit:secret:with:colons' },
  { name: 'percent signs', clientId: 'client%41id', clientSecret: 'kit%secret%25%zz' },
  { name: 'plus signs', clientId: 'client+id', clientSecret: 'kit+secret+plus' },
  { name: 'spaces', clientId: 'client id', clientSecret: 'kit secret with spaces' },
  { name: 'non-Latin-1 characters', clientId: 'clïent-ü', clientSecret: 'kit-€-漢字-🔐-secret' },
  { name: 'a 200-character secret', clientId: KIT_CLIENT_ID, clientSecret: LONG_SECRET },
  {
    name: 'the RFC 6749 §2.3.1 vector',
    clientId: "client %&+-_.!~*'()",
    clientSecret: "secret %&+-_.!~*'()",
    mode: 'rfc6749',
    expectedUser: 'client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29',
  },
];

/** The token requests the connector makes with client_secret_basic, from its manifest. */
function basicKindsOf(manifest: ConnectorManifest): GrantKind[] {
  const kinds: GrantKind[] = [manifest.capabilities.authorizationCode ? 'codeExchange' : 'clientCredentials'];
  if (manifest.capabilities.refreshToken) kinds.push('refresh');
  return kinds.filter((kind) => manifest.clientAuthentication[kind]?.method === 'client_secret_basic');
}

const basicKinds = (ctx: ScenarioContext): GrantKind[] => basicKindsOf(ctx.manifest);

const declaresBasic = ({ manifest }: ScenarioSubject): true | string =>
  basicKindsOf(manifest).length > 0 || 'the connector declares no client_secret_basic authentication';

/**
 * The exact `Authorization` bytes for awkward credentials, in the encoding the connector declares
 * for each grant, UTF-8 always (`btoa` cannot even encode `€`).
 */
export const basicEncoding = defineScenario({
  id: 'token-request.basic-encoding',
  title: 'HTTP Basic client authentication has the exact bytes of the declared encoding',
  family: 'token-request',
  rule: rfc(6749, '2.3.1', ', RFC 7617 §2.1'),
  appliesTo: declaresBasic,
  async run(ctx) {
    const kinds = basicKinds(ctx);
    for (const kind of kinds) {
      if (declaredAuth(ctx, kind)?.encoding === undefined) {
        fail(
          `the manifest declares client_secret_basic for ${kind} without saying which encoding (rfc6749 or plain)`,
        );
      }
    }
    for (const vector of BASIC_VECTORS) {
      const modes = kinds.map((kind) => declaredAuth(ctx, kind)?.encoding);
      if (vector.mode !== undefined && !modes.includes(vector.mode)) continue;
      const connection = ctx.connection({ clientId: vector.clientId, clientSecret: vector.clientSecret });
      try {
        ctx.connector.validateCredentials(connection.credentials);
      } catch {
        ctx.note(`vector "${vector.name}" skipped: the credential schema does not accept it`);
        continue;
      }
      for (const { kind, request } of await exerciseGrants(ctx, connection)) {
        const mode = declaredAuth(ctx, kind)?.encoding;
        if (mode === undefined || (vector.mode !== undefined && vector.mode !== mode)) continue;
        const header = request.headers['authorization'];
        const expected = expectedBasicHeader(vector.clientId, vector.clientSecret, mode);
        check(
          header === expected,
          `${kind} request with ${vector.name}: expected the ${mode} encoding; ${diagnoseBasicHeader(header, vector.clientId, vector.clientSecret)}`,
        );
        if (vector.expectedUser !== undefined) {
          const user = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0];
          check(
            user === vector.expectedUser && rfc6749FormEncode(vector.clientId) === vector.expectedUser,
            `${kind} request: the RFC 6749 §2.3.1 vector's user part is not ${vector.expectedUser}`,
          );
        }
      }
    }
  },
});

/**
 * In plain mode a client id containing `:` cannot be sent (RFC 7617 §2: the user-id cannot
 * contain a colon): the connector must refuse it with a typed error — in its schema, or at the
 * latest instead of sending the request.
 */
export const basicColonInPlainId = defineScenario({
  id: 'token-request.basic-colon-in-plain-id',
  title: 'Plain Basic refuses a client id containing ":" with a typed error, sending nothing',
  family: 'token-request',
  rule: rfc(7617, '2'),
  appliesTo: ({ manifest }) =>
    basicKindsOf(manifest).some((kind) => manifest.clientAuthentication[kind]?.encoding === 'plain') ||
    'the connector declares no plain-encoded Basic authentication',
  async run(ctx) {
    const connection = ctx.connection({ clientId: 'client:with:colon' });
    try {
      ctx.connector.validateCredentials(connection.credentials);
    } catch (error) {
      ctx.observed.errors.push(error);
      check(
        errorCode(error) === ErrorCode.InvalidCredentials,
        `validateCredentials refused the id with ${describeError(error)}, not ${ErrorCode.InvalidCredentials}`,
      );
      ctx.note('the credential schema itself refuses the id');
      return;
    }
    const codes = [ErrorCode.InvalidCredentials, ErrorCode.Configuration];
    const plain = basicKinds(ctx).filter((kind) => declaredAuth(ctx, kind)?.encoding === 'plain');
    const [first] = grantKinds(ctx);
    if (first !== undefined && plain.includes(first)) {
      const attempt = ctx.isAuthorizationCode
        ? startFlow(ctx, connection).then((flow) =>
            ctx.connector.completeAuthorization(
              connection,
              flow.callback({ code: ctx.values.authorizationCode(), state: flow.state }),
            ),
          )
        : ctx.connector.getAccessToken(connection);
      await expectRejected(ctx, attempt, `the ${first} request with plain Basic`, codes);
      expectTokenRequests(ctx, 0, 'for a client id plain Basic cannot carry');
      return;
    }
    await obtainToken(ctx, connection, tokenBody(ctx, {}, { refreshToken: true }));
    await reachExpiry(ctx, connection);
    await expectRejected(
      ctx,
      ctx.connector.getAccessToken(connection),
      'the refresh with plain Basic',
      codes,
    );
    expectTokenRequests(ctx, 1, 'when the refresh cannot carry the client id (the first grant only)');
  },
});
