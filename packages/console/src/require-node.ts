/**
 * The first import of every entry point of this package: on a Node.js older than `engines.node`
 * it throws `ERR_UNSUPPORTED_NODE` with one es/en line,
 * before undici (which crashes there) is evaluated.
 */
import { assertSupportedNode } from '@aic/connector-core/node-guard';

assertSupportedNode('@aic/console', '22.19.0');
