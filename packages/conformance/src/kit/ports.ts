import { Logger } from '@aic/connector-core';
import { createTestPorts, type TestPorts } from '@aic/connector-core/testing';
import { KitLogger } from './kit-logger.js';
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
 * (scanned for secrets) and a new undici Agent with short connect and header timeouts.
 */
export function createKitPorts(sequence: Sequence): KitPorts {
  const ports = createTestPorts({
    start: KIT_EPOCH,
    tokenStore: new KitTokenStore(sequence),
    dispatcherOptions: { connectTimeoutMs: 2_000, headersTimeoutMs: 5_000 },
  });
  const logger = new KitLogger();
  ports.container.rebind(Logger).toConstantValue(logger);
  return { ...ports, logger };
}
