/**
 * The first import of every entry point of this package: on a Node.js older than `engines.node`
 * it throws `ERR_UNSUPPORTED_NODE` with one es/en line,
 * before nock and undici (which crash there) are evaluated.
 */
import { assertSupportedNode } from '@aic/connector-core/node-guard';

assertSupportedNode('@aic/conformance', '22.20.0');
