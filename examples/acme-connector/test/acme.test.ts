import { describeConformance } from '@aic/conformance';

// The whole conformance suite for this package, loaded the way a host loads it (by path, through
// its package.json "aicConnector" declaration): one describe, one test per scenario.
await describeConformance(new URL('..', import.meta.url));
