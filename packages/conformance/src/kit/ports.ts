import { Logger, endpointPolicy, type EndpointPolicy } from '@aic/connector-core';
import { createTestPorts, type TestPorts } from '@aic/connector-core/testing';
import { KitLogger } from './kit-logger.js';
import { KIT_ENDPOINTS } from './plan.js';
import type { Sequence } from './sequence.js';
import { KitTokenStore } from './token-store.js';

/**
 * Where the kit's clock starts: a fixed instant, so expiry arithmetic and reports are the same
 * on every run.
 */
export const KIT_EPOCH = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * The ports one scenario runs on: core's {@link TestPorts} with the kit's recording token store
 * and logger. It is a `ConnectorRuntime`, so a connector factory can pass it straight to a
 * connector constructor; `container` already has every port bound.
 */
export type KitPorts = TestPorts<KitTokenStore> & { readonly logger: KitLogger };

/**
 * A fresh container with the kit's ports bound, before any connector module is loaded:
 * a recording memory token store, a memory pending-authorization store, a manual clock (its
 * `sleeps` measure backoff), a memory logger that remembers which call wrote each entry
 * (scanned for secrets), a new undici Agent with short connect and header timeouts, and the
 * kit's endpoint policy.
 */
export function createKitPorts(sequence: Sequence): KitPorts {
  const ports = createTestPorts({
    start: KIT_EPOCH,
    tokenStore: new KitTokenStore(sequence),
    dispatcherOptions: { connectTimeoutMs: 2_000, headersTimeoutMs: 5_000 },
    endpointPolicy: KIT_ENDPOINT_POLICY,
  });
  const logger = new KitLogger();
  ports.container.rebind(Logger).toConstantValue(logger);
  return { ...ports, logger };
}

/**
 * The kit is a host that opts in explicitly: its own hosts, and development mode for servers it
 * starts on loopback. A connector still refuses any other origin a credential payload names.
 */
export const KIT_ENDPOINT_POLICY: EndpointPolicy = endpointPolicy({
  allowedOrigins: Object.values(KIT_ENDPOINTS).map((url) => new URL(url).origin),
  development: true,
});
