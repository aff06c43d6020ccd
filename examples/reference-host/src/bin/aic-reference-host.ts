#!/usr/bin/env node
/**
 * Runs the reference host: `aic-reference-host <config.json>` (or AIC_HOST_CONFIG). The only
 * place that reads the environment and writes to the console.
 */
// First, before undici is evaluated: one es/en line and exit 1 on an unsupported Node.js.
import './require-node.js';
import { loadHostConfig } from '../config.js';
import { hostOptionsFrom } from '../from-config.js';
import { createReferenceHost } from '../server.js';
import { openHostStores } from '../stores.js';

const path = process.argv[2] ?? process.env['AIC_HOST_CONFIG'];
if (path === undefined) {
  console.error('usage: aic-reference-host <config.json>   (see aic-host.example.json)');
  process.exit(2);
}

/** Start-up failures are plain sentences (HostConfigError, ConsoleConfigError) or typed es/en errors: no stack. */
const fail = (error: unknown): never => {
  console.error(`aic-reference-host: ${(error as Error).message}`);
  process.exit(2);
};

const config = await loadHostConfig(path, process.env).catch(fail);
const stores = await openHostStores(config.store).catch(fail);
const host = await createReferenceHost(
  hostOptionsFrom(config, {
    tokenStore: stores.tokenStore,
    pendingStore: stores.pendingStore,
    logger: {
      log: (level, message, fields) => console.log(JSON.stringify({ level, message, ...fields })),
    },
  }),
).catch(fail);
const url = await host.listen(config.port, config.host);
console.log(`AIC reference host on ${url.href}`);
console.log(`  operator console: ${new URL(`${host.console.basePath}/`, url).href}`);
console.log(`  OAuth redirect URI of every connection: ${new URL(host.console.callbackPath, url).href}`);
for (const connector of host.registry.list()) {
  console.log(`  connector ${connector.manifest.id} ${connector.manifest.version}`);
}
if (config.console.connectionsFile === undefined) {
  console.log(
    '  warning: console.connectionsFile is not set: connections live in memory and are lost on restart',
  );
}
if (config.endpoints.development) {
  console.log(
    '  warning: endpoints.development is on: connections may point at loopback and private addresses (local tests only)',
  );
}

const shutdown = async (): Promise<void> => {
  await host.close();
  await stores.close();
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
