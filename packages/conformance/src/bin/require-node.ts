/**
 * The first import of the `aic-conformance` command: on a Node.js older than `engines.node` it prints one
 * es/en line and exits with status 1, before nock and undici (which crash there) are evaluated.
 */
import { exitIfUnsupportedNode } from '@aic/connector-core/node-guard';

exitIfUnsupportedNode('aic-conformance', '22.20.0');
