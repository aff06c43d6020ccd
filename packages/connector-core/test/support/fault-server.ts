/**
 * A scriptable token endpoint on a real loopback socket (`node:http` on 127.0.0.1:0), for the
 * faults nock cannot model: resets in the middle of a body, responses whose headers never
 * arrive, bodies that stall, sockets closed at accept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** How the server answers one request. */
export type Fault = (res: ServerResponse, req: IncomingMessage) => void;

const json = (body: unknown): string => JSON.stringify(body);

/** The answers (and non-answers) the fault suites script. */
export const faults = {
  /** A normal JSON answer. */
  reply:
    (status: number, body: unknown, headers: Record<string, string> = {}): Fault =>
    (res) => {
      const text = typeof body === 'string' ? body : json(body);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    },
  /** Headers and part of the body, then the connection is reset. */
  resetMidBody:
    (partial: string, announced = 200): Fault =>
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(announced) });
      res.write(partial, () => res.socket?.resetAndDestroy());
    },
  /** A complete HTTP response whose JSON is cut short (content-length matches what is sent). */
  truncatedJson:
    (text: string): Fault =>
    (res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    },
  /** Announces more bytes than it sends, then closes cleanly. */
  shortBody:
    (partial: string): Fault =>
    (res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(partial) + 50),
      });
      res.write(partial, () => res.socket?.end());
    },
  /** Reads the request and never answers: the headers never arrive. */
  silence: (): Fault => () => undefined,
  /** Sends headers and a first chunk, then nothing. */
  stallBody:
    (partial: string): Fault =>
    (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(partial);
    },
  /** Drops the connection before any response byte. */
  drop: (): Fault => (_res, req) => req.socket.destroy(),
} as const;

/** A loopback HTTP server answering each request with the next scripted {@link Fault}. */
export class FaultServer {
  readonly requests: SeenRequest[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #script: Fault[] = [];
  #fallback: Fault = faults.reply(500, { error: 'unscripted' });

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        (this.#script.shift() ?? this.#fallback)(res, req);
      });
    });
  }

  static async start(): Promise<FaultServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FaultServer(server);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next requests are answered by these, in order; after them, by `then` (default: 500). */
  script(answers: readonly Fault[], then?: Fault): void {
    this.#script = [...answers];
    if (then !== undefined) this.#fallback = then;
  }

  /** Every later request gets `fault`. */
  always(fault: Fault): void {
    this.#script = [];
    this.#fallback = fault;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A loopback port with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = await FaultServer.start();
  const port = server.port;
  await server.close();
  return port;
}
