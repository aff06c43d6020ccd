/**
 * The first import of every entry point of this package: on a Node.js older than `engines.node`
 * it throws `ERR_UNSUPPORTED_NODE` before undici (which crashes there) is evaluated.
 */
import { MINIMUM_NODE_VERSION, assertSupportedNode } from './node-guard.js';

assertSupportedNode('@aic/connector-core', MINIMUM_NODE_VERSION);
