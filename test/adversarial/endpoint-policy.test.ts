/**
 * Attack: whoever can write a connection's credentials points its endpoints at their own origin
 * (or at the host's internal network) to receive the client secret, the imported refresh token
 * and the access token, or to use the host as a blind SSRF relay. Reproduced against the real
 * provider packages loaded by a real host: nothing may reach the attacker's listener.
 */
import { ErrorCode, HttpDispatcher, isConnectorError, type Connector } from '@aic/connector-core';
import { registerSecret } from '../secrets.js';
import { SECRETS, credentialsFor, everyEndpointAt } from './support/credentials.js';
import { startHost, type Host } from './support/hosts.js';
import { attackerListener, type AttackerListener } from './support/servers.js';

const CONNECTORS = ['hp-techpulse', 'abbyy-vantage', 'leancore'] as const;

let attacker: AttackerListener;
let host: Host;

beforeAll(async () => {
  for (const [label, value] of Object.entries(SECRETS)) registerSecret(value, label);
  attacker = await attackerListener();
  host = await startHost(); // production: the default, strict endpoint policy
});

afterAll(async () => {
  await host.container.get(HttpDispatcher).close();
  await attacker.close();
});

/** Every operation a host runs on a connection, each outcome kept (value or error). */
async function everyOperation(
  connector: Connector,
  credentials: Record<string, unknown>,
): Promise<unknown[]> {
  const connection = { id: 'tenant-7', credentials };
  const outcomes: unknown[] = [];
  const attempt = async (run: () => Promise<unknown>): Promise<void> => {
    outcomes.push(await run().catch((error: unknown) => error));
  };
  if (connector.manifest.capabilities.authorizationCode) {
    await attempt(() => connector.startAuthorization(connection));
    await attempt(() => connector.completeAuthorization(connection, { code: 'c', state: 's' }));
  }
  await attempt(() => connector.getAccessToken(connection));
  await attempt(() => connector.request(connection, { method: 'GET', path: '/anything' }));
  await attempt(async () => (await connector.validateConnection(connection)).errorCode);
  return outcomes;
}

describe.each(CONNECTORS)('%s under a strict host', (connectorId) => {
  it.each([
    ['the attacker’s loopback listener', () => attacker.origin],
    ['an attacker’s public origin', () => 'https://attacker.example'],
    ['the cloud metadata address', () => 'https://169.254.169.254'],
    ['a private address', () => 'https://10.0.0.5'],
    ['a local Docker socket port', () => 'http://localhost:2375'],
  ])('refuses %s for every endpoint before any byte is sent', async (_, origin) => {
    const before = attacker.connections();
    const outcomes = await everyOperation(
      host.connector(connectorId),
      credentialsFor(connectorId, everyEndpointAt(origin())),
    );
    for (const outcome of outcomes) {
      const code = isConnectorError(outcome) ? outcome.code : outcome;
      expect(code).toBe(ErrorCode.EndpointNotAllowed);
    }
    expect(attacker.connections()).toBe(before);
    expect(attacker.received()).toBe('');
  });

  it('refuses an attacker origin in one endpoint only (the API base), keeping the provider’s others', async () => {
    const outcome = await host
      .connector(connectorId)
      .request(
        { id: 'tenant-7', credentials: credentialsFor(connectorId, { apiBase: attacker.origin }) },
        {
          method: 'GET',
          path: '/',
        },
      )
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({
      code: ErrorCode.EndpointNotAllowed,
      endpoint: 'apiBase',
      origin: attacker.origin,
    });
    expect(attacker.connections()).toBe(0);
  });
});

describe('the host, and only the host, widens the policy', () => {
  it('sends to an origin the host allows (development mode for loopback), never because credentials say so', async () => {
    const permissive = await startHost({ endpoints: { development: true } });
    try {
      const connection = {
        id: 'tenant-8',
        credentials: credentialsFor('leancore', everyEndpointAt(attacker.origin)),
      };
      // The listener never answers: the call ends at the token deadline or when aborted.
      const controller = new AbortController();
      const pending = permissive
        .connector('leancore')
        .getAccessToken(connection, { signal: controller.signal });
      while (attacker.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: ErrorCode.Aborted });
      expect(attacker.connections()).toBe(1);
    } finally {
      await permissive.container.get(HttpDispatcher).destroy();
    }
  });
});
