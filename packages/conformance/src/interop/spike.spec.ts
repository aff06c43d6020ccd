import { OAuthConnector } from '@aic/connector-core';
import { createTestPorts } from '@aic/connector-core/testing';
import { referenceCode } from '../__fixtures__/reference.js';
import { manifestOf } from '@aic/connector-core';
import { AuthorizationServer } from './authorization-server.js';
import { InteropEdge } from './edge.js';
import { planInterop } from './plan.js';
import { browseAuthorization } from './user-agent.js';

it('spike', async () => {
  const manifest = manifestOf(referenceCode);
  const plan = planInterop(manifest, ['read']);
  const server = await AuthorizationServer.start(plan);
  const edge = await InteropEdge.start(server, plan);
  try {
    const ports = createTestPorts();
    const connector = new OAuthConnector(referenceCode, ports);
    const client = { clientId: 'c1', clientSecret: 'secret-a+b', redirectUri: 'https://aic.conformance.test/cb' };
    server.registerClient(client);
    edge.addClient(client);
    const connection = {
      id: 'x',
      credentials: {
        clientId: 'c1',
        clientSecret: 'secret-a+b',
        redirectUri: client.redirectUri,
        endpoints: { authorization: server.authorizationEndpoint, token: edge.tokenEndpoint, apiBase: edge.apiBase },
      },
    };
    const start = await connector.startAuthorization(connection);
    const browse = await browseAuthorization(start.url, server.issuer, 'approve');
    console.log(JSON.stringify(browse.prompts), browse.error, browse.callback?.searchParams.has('code'));
    const result = await connector.completeAuthorization(connection, browse.callback!.href);
    console.log(result);
    const r = await connector.request(connection, { method: 'GET', path: '/me' });
    console.log(r.status, r.text());
    ports.clock.advance(3600_000);
    const r2 = await connector.request(connection, { method: 'GET', path: '/me' });
    console.log(r2.status, edge.exchanges('c1').map((e) => [e.grantType, e.status, e.error, e.errorDescription, e.presented, e.basic]));
    await ports.close();
  } finally {
    await edge.close();
    await server.close();
  }
});
