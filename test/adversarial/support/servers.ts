import type { ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback listener an attacker controls: it accepts TCP connections and records every byte
 * (a TLS ClientHello, a clear-text request with its headers and body) without answering.
 */
export interface AttackerListener {
  readonly port: number;
  readonly origin: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Everything received, as latin1 text (bytes kept one to one). */
  received(): string;
  close(): Promise<void>;
}

export async function attackerListener(): Promise<AttackerListener> {
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A provider on loopback (token endpoint and API answered by a handler, every request recorded):
 * core's own test server, so the suite and core's specs share one.
 */
export { startLocalServer as providerServer } from '../../../packages/connector-core/src/__fixtures__/local-server.js';
export type { LocalServer as ProviderServer } from '../../../packages/connector-core/src/__fixtures__/local-server.js';

/** Answers JSON. */
export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
