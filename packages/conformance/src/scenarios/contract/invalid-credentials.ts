import { inspect } from 'node:util';
import { ErrorCode, type ConnectionInput } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { check, describeError, describeRequests, errorCode, expectRejected } from '../../kit/expect.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

interface Variant {
  readonly label: string;
  readonly credentials: unknown;
  /** A JSON pointer the error must name. */
  readonly pointer?: string;
}

function variants(ctx: ScenarioContext, valid: Record<string, unknown>): Variant[] {
  const { id, secret } = ctx.manifest.clientFields;
  const list: Variant[] = [
    { label: 'null', credentials: null },
    { label: 'an empty object', credentials: {} },
    { label: 'a number as client id', credentials: { ...valid, [id]: 42 }, pointer: `/${id}` },
    { label: 'an empty client secret', credentials: { ...valid, [secret]: '' }, pointer: `/${secret}` },
  ];
  if (ctx.manifest.credentialSchema.additionalProperties === false) {
    list.push({
      label: 'an unknown field',
      credentials: { ...valid, kitUnknownField: 'x' },
      pointer: '/kitUnknownField',
    });
  }
  if (ctx.plan.redirectUri !== undefined) {
    list.push({
      label: 'a relative redirect URI',
      credentials: { ...valid, redirectUri: '/callback' },
      pointer: '/redirectUri',
    });
  }
  if (ctx.plan.overridableKeys.includes('token')) {
    const endpoints = { ...(valid['endpoints'] as object), token: 'not a url' };
    list.push({
      label: 'a token endpoint that is not a URL',
      credentials: { ...valid, endpoints },
      pointer: '/endpoints/token',
    });
  }
  return list;
}

/**
 * The contract operations that take a connection, by name (the authorization ones only for
 * authorization code connectors).
 */
function operations(ctx: ScenarioContext, connection: ConnectionInput): [string, () => Promise<unknown>][] {
  const { connector } = ctx;
  const list: [string, () => Promise<unknown>][] = [
    ['getAccessToken', () => connector.getAccessToken(connection)],
    ['request', () => connector.request(connection, { method: 'GET', path: '/kit' })],
  ];
  if (ctx.isAuthorizationCode) {
    list.push(
      ['startAuthorization', () => connector.startAuthorization(connection)],
      [
        'completeAuthorization',
        () =>
          connector.completeAuthorization(connection, {
            code: 'kit-code-offline',
            state: 'kit-state-offline',
          }),
      ],
    );
  }
  return list;
}

/**
 * Bad settings are caught before anything touches the network: `validateCredentials` throws one
 * typed error that names the bad field by JSON pointer and never repeats a secret, and every
 * operation on such a connection fails the same way (or, for "Validar conexión", reports
 * bad_credentials) without a single request.
 */
export const invalidCredentialsOffline = defineScenario({
  id: 'contract.invalid-credentials-offline',
  title: 'Invalid credentials are rejected, by field, before any network call',
  family: 'contract',
  rule: { source: 'DESIGN.md (credentials validated before any network call)' },
  appliesTo: always,
  async run(ctx) {
    const valid = ctx.connection().credentials as Record<string, unknown>;
    for (const [index, variant] of variants(ctx, valid).entries()) {
      let error: unknown;
      try {
        ctx.connector.validateCredentials(variant.credentials);
      } catch (caught) {
        error = caught;
        ctx.observed.errors.push(caught);
      }
      check(
        error !== undefined && errorCode(error) === ErrorCode.InvalidCredentials,
        `credentials with ${variant.label}: validateCredentials must throw ${ErrorCode.InvalidCredentials}; ${error === undefined ? 'it accepted them' : describeError(error)}`,
      );
      const shown = `${(error as Error).message} ${JSON.stringify(error)} ${inspect(error, { depth: 6 })}`;
      const leaked = ctx.secrets.find(shown);
      check(
        leaked.length === 0,
        `credentials with ${variant.label}: the error repeats the ${leaked.join(', ')}`,
      );
      if (variant.pointer !== undefined) {
        check(
          shown.includes(variant.pointer),
          `credentials with ${variant.label}: the error does not name ${variant.pointer}`,
        );
      }
      const connection: ConnectionInput = {
        id: `invalid-${index + 1}`,
        credentials: variant.credentials,
      };
      for (const [operation, call] of operations(ctx, connection)) {
        await expectRejected(ctx, call(), `${operation} with ${variant.label}`, [
          ErrorCode.InvalidCredentials,
        ]);
      }
      const verdict = await ctx.connector.validateConnection(connection);
      ctx.observed.outputs.push(verdict);
      check(
        verdict.outcome === 'bad_credentials' && verdict.errorCode === ErrorCode.InvalidCredentials,
        `validateConnection with ${variant.label} answered ${verdict.outcome} (${verdict.errorCode ?? 'no code'}), not bad_credentials (${ErrorCode.InvalidCredentials})`,
      );
    }
    check(
      ctx.provider.requests.length === 0,
      `invalid credentials caused ${ctx.provider.requests.length} network call(s)`,
      describeRequests(ctx.provider.requests),
    );
  },
});
