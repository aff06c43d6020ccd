import { describeConformance } from '@aic/conformance';

// The whole conformance suite for this package, loaded the way a host loads it (by path, through
// its package.json "aicConnector" declaration): one describe, one test per scenario. Top-level
// await: the tests must exist before jest starts running them.
await describeConformance(new URL('..', import.meta.url));
