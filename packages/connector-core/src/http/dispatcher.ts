import { Agent, type Dispatcher } from 'undici';

/** Timeouts and pooling of the default dispatcher. */
export interface DispatcherOptions {
  /** TCP + TLS connect timeout (ms). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time until the response headers arrive (ms). Default 15 s. */
  readonly headersTimeoutMs?: number;
  /** Idle time between body chunks (ms). Default 30 s. */
  readonly bodyTimeoutMs?: number;
  /** How long an idle keep-alive socket is kept (ms). Default 30 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Sockets per origin. Default 128. */
  readonly connections?: number;
}

/**
 * The default HTTP dispatcher: an undici `Agent` with keep-alive and connect, headers and body
 * timeouts, so no call can hang forever. A host binds its own (proxy, mTLS) under
 * `HttpDispatcher`.
 */
export function createDefaultDispatcher(options: DispatcherOptions = {}): Dispatcher {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 15_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connections: options.connections ?? 128,
  });
}
