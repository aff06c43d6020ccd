/**
 * The benchmark's provider: a loopback API + token server in its own process (so it does not
 * share the benchmark's event loop). Prints `{"port":N}` on stdout once listening.
 *
 * - `POST /token`: client_credentials or refresh_token → a new access token; counts calls.
 * - `GET /api/items`: 200 small JSON when the Bearer token is one it issued (or the static one),
 *   401 otherwise.
 * - `GET /stats`, `POST /reset`: token-call counter.
 * - `POST /expire-all`: forgets every issued token (the next API calls get 401).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { STATIC_TOKEN } from './constants.js';
const BODY = JSON.stringify({ items: [{ id: 1, name: 'laptop' }], totalResults: 1 });

const issued = new Set<string>([STATIC_TOKEN]);
let tokenCalls = 0;
let counter = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url.startsWith('/api/items')) {
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ') && issued.has(auth.slice(7))) send(res, 200, BODY);
    else send(res, 401, '{"error":"invalid_token"}');
    return;
  }
  if (req.method === 'POST' && url === '/token') {
    void readBody(req).then(() => {
      tokenCalls++;
      const token = `bench-at-${process.pid}-${++counter}`;
      issued.add(token);
      send(res, 200, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
    });
    return;
  }
  if (url === '/stats') return send(res, 200, JSON.stringify({ tokenCalls }));
  if (req.method === 'POST' && url === '/reset') {
    tokenCalls = 0;
    return send(res, 200, '{}');
  }
  if (req.method === 'POST' && url === '/expire-all') {
    issued.clear();
    issued.add(STATIC_TOKEN);
    return send(res, 200, '{}');
  }
  if (url === '/.well-known/oauth-authorization-server') {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return send(res, 200, JSON.stringify({ issuer: base, token_endpoint: `${base}/token` }));
  }
  send(res, 404, '{}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
