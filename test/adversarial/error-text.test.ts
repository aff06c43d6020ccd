/**
 * Attack: a provider (or whoever sits on its path) answers with text that quotes a secret — the
 * access token echoed back, the client secret in `error_description` — or with bytes that are
 * not UTF-8. No error may carry that text in its message, its serializations, its own properties
 * or its cause chain, and nothing ill-formed is stored.
 */
import { ErrorCode, HttpDispatcher, type Connector } from '@aic/connector-core';
import { registerSecret } from '../secrets.js';
import { SECRETS, credentialsFor, everyEndpointAt } from './support/credentials.js';
import { startHost, type Host } from './support/hosts.js';
import { json, providerServer, type ProviderServer } from './support/servers.js';
import { exposedText } from './support/walk.js';

const ACCESS = 'AT-echoed-back-by-the-api-42';
const REFRESH = 'RT-error-text-0123456789';

let behaviour: 'normal' | 'ill-formed' | 'echo-secret' = 'normal';
let provider: ProviderServer;
let host: Host;
let hp: Connector;

beforeAll(async () => {
  for (const [label, value] of Object.entries({ ...SECRETS, ACCESS, REFRESH })) registerSecret(value, label);
  provider = await providerServer((request, response) => {
    if (request.url === '/oauth/token') {
      if (behaviour === 'ill-formed') {
        const body = Buffer.concat([
          Buffer.from(`{"access_token":"${ACCESS}`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('","token_type":"Bearer","expires_in":1799999}'),
        ]);
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        return response.end(body);
      }
      if (behaviour === 'echo-secret') {
        return json(response, 400, {
          error: 'invalid_request',
          error_description: `bad secret ${SECRETS.hpSecret}`,
        });
      }
      return json(response, 200, {
        access_token: ACCESS,
        token_type: 'Bearer',
        expires_in: 1_799_999,
        refresh_token: REFRESH,
      });
    }
    // The API echoes the Authorization header as plain text.
    const echoed = String(request.headers['authorization'] ?? '');
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(echoed) });
    response.end(echoed);
  });
  host = await startHost({ endpoints: { development: true } });
  hp = host.connector('hp-techpulse');
});

afterEach(() => {
  behaviour = 'normal';
});

afterAll(async () => {
  await host.container.get(HttpDispatcher).destroy();
  await provider.close();
});

const connection = (id: string) => ({
  id,
  credentials: credentialsFor('hp-techpulse', everyEndpointAt(provider.origin)),
});

async function authorized(id: string): Promise<{ id: string; credentials: Record<string, unknown> }> {
  const input = connection(id);
  const { state } = await hp.startAuthorization(input);
  await hp.completeAuthorization(input, { code: `code-${id}`, state });
  return input;
}

it('a non-JSON API body quoting the access token stays out of the error, its cause chain and its properties', async () => {
  const input = await authorized('echo');
  const response = await hp.request(input, { method: 'GET', path: '/analytics/v1/identity/tenants' });
  let error: unknown;
  try {
    response.json();
  } catch (caught) {
    error = caught;
  }
  expect(error).toMatchObject({
    code: ErrorCode.InvalidProviderResponse,
    status: 200,
    contentType: 'text/plain',
  });
  expect(exposedText(error)).not.toContain(ACCESS);
});

it('a token response that is not UTF-8 is refused, stores nothing and quotes nothing', async () => {
  behaviour = 'ill-formed';
  const input = connection('ill-formed');
  const { state } = await hp.startAuthorization(input);
  const error = await hp.completeAuthorization(input, { code: 'code-x', state }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse });
  expect(exposedText(error)).not.toContain(ACCESS);
  expect(await hp.getStatus(input)).toMatchObject({ state: 'not_authorized', hasRefreshToken: false });
});

it('a provider error quoting the client secret is scrubbed everywhere the error reaches', async () => {
  const input = await authorized('echo-secret');
  behaviour = 'echo-secret';
  const error = await hp.getAccessToken(input, { forceRefresh: true }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: ErrorCode.OAuthError });
  expect(exposedText(error)).not.toContain(SECRETS.hpSecret);
  expect(exposedText(error)).not.toContain(REFRESH);
});
