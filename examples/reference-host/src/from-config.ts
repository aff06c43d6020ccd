import type { HostConfig } from './config.js';
import { SealedFileConnectionRepository } from './connection-repository.js';
import type { ReferenceHostOptions } from './server.js';

/**
 * The options of {@link createReferenceHost} from a loaded configuration file: connectors, seed
 * connections, the console (sealed connections file when configured), the endpoint policy.
 * Stores, clock and logger come in `ports` (the caller opens and closes them).
 */
export function hostOptionsFrom(
  config: HostConfig,
  ports: Pick<ReferenceHostOptions, 'tokenStore' | 'pendingStore' | 'clock' | 'logger'> = {},
): ReferenceHostOptions {
  const settings = config.console;
  return {
    ...ports,
    connectorPackages: config.connectorPackages,
    connections: config.connections,
    connectionRepository:
      settings.connectionsFile === undefined
        ? undefined
        : new SealedFileConnectionRepository({
            path: settings.connectionsFile.path,
            keys: { current: settings.connectionsFile.key },
          }),
    console: {
      operators: settings.operators,
      trustedProxy: settings.trustedProxy,
      secureCookies: settings.secureCookies,
      timeZone: settings.timeZone,
      basePath: settings.basePath,
    },
    endpoints: config.endpoints,
  };
}
