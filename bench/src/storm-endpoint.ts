/**
 * The token endpoint of the multi-connection refresh storm, in its own process: strict rotation
 * (`RT:<id>:<n>` works once, then `RT:<id>:<n+1>`), answering after `delayMs`. It counts what the
 * storm's targets are about: requests in flight at once (max), refreshes per connection (twice is
 * a failure), and every refresh token received (a reuse is a failure). Prints `{"port":N}`.
 *
 * - `POST /token`: `grant_type=refresh_token` → new access and refresh tokens (or `invalid_grant`).
 * - `GET /stats`: `{ refreshes, refreshedTwice, reused, invalidGrants, maxInFlight }`.
 * - `POST /reset`: zeroes the counters (the grants stay).
 *
 *   node storm-endpoint.js <delayMs>
 */
import { createServer, type IncomingMessage } from 'node:http';

const delayMs = Number(process.argv[2] ?? 50);
const current = new Map<string, number>(); // connection id → generation of its valid refresh token
let received = new Map<string, number>();
let refreshed = new Map<string, number>();
let invalidGrants = 0;
let inFlight = 0;
let maxInFlight = 0;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function token(body: string): Promise<{ status: number; body: unknown }> {
  const refreshToken = new URLSearchParams(body).get('refresh_token') ?? '';
  received.set(refreshToken, (received.get(refreshToken) ?? 0) + 1);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const match = /^RT:(.+):(\d+)$/.exec(refreshToken);
  const id = match?.[1];
  const generation = Number(match?.[2]);
  if (id === undefined || generation !== (current.get(id) ?? 0)) {
    invalidGrants++;
    return { status: 400, body: { error: 'invalid_grant' } };
  }
  current.set(id, generation + 1);
  refreshed.set(id, (refreshed.get(id) ?? 0) + 1);
  return {
    status: 200,
    body: {
      access_token: `AT:${id}:${generation + 1}`,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: `RT:${id}:${generation + 1}`,
    },
  };
}

const server = createServer((request, response) => {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  if (request.method === 'POST' && request.url === '/token') {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void readBody(request)
      .then(token)
      .then(({ status, body }) => {
        inFlight--;
        send(status, body);
      });
    return;
  }
  if (request.url === '/stats') {
    let twice = 0;
    for (const count of refreshed.values()) if (count > 1) twice++;
    let reused = 0;
    for (const count of received.values()) if (count > 1) reused++;
    let refreshes = 0;
    for (const count of refreshed.values()) refreshes += count;
    return send(200, { refreshes, refreshedTwice: twice, reused, invalidGrants, maxInFlight });
  }
  if (request.method === 'POST' && request.url === '/reset') {
    received = new Map();
    refreshed = new Map();
    invalidGrants = 0;
    maxInFlight = inFlight;
    return send(200, {});
  }
  send(404, {});
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
