/**
 * @aic/connector-core/testing: the plumbing every connector test needs, for connector authors,
 * the conformance kit and this repository's own specs. Ports under the test's control (a manual
 * clock, a memory logger, memory stores, a closable undici dispatcher) bound in an inversify
 * container, a connector loaded on them as a host loads it, the checks of a test file whose
 * provider traffic is scripted, and the fixture a token store is tested under (a connector and a
 * loopback token endpoint that rotates refresh tokens).
 *
 * It imports no mocking or test library: HTTP is scripted by the caller (nock intercepts the
 * dispatcher's sockets), and the network guard takes `nock` and the test framework's hooks as
 * arguments.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import '../require-node.js';

export { createTestPorts } from './test-ports.js';
export type { TestPorts, TestPortsOptions } from './test-ports.js';
export { createTestHost } from './test-host.js';
export type { TestHost, TestHostOptions } from './test-host.js';
export { assertNoPendingMocks, guardScriptedNetwork } from './scripted-network.js';
export { credentialSchemaFileIssues } from './schema-files.js';
export {
  STORE_FIXTURE_ID,
  storeFixtureConnection,
  storeFixtureConnector,
  storeFixtureCredentials,
  storeFixtureDefinition,
  storeFixtureKey,
} from './store-fixture.js';
export type { StoreFixtureOptions, StoreFixtureRuntime, StoreFixtureSchema } from './store-fixture.js';
export { RotatingTokenEndpoint, rotatedAccessToken, rotatedRefreshToken } from './rotating-token-endpoint.js';
export type { RotatingGrant, RotatingTokenEndpointOptions } from './rotating-token-endpoint.js';
export type {
  PendingMocks,
  ScriptedNetwork,
  ScriptedNetworkMocks,
  ScriptedNetworkOptions,
  TestLifecycleHooks,
  UnmatchedRequest,
} from './scripted-network.js';
