/**
 * The first import of the `aic-reference-host` command: on a Node.js older than `engines.node` it
 * prints one es/en line and exits with status 1, before undici (which crashes there) is evaluated.
 */
import { exitIfUnsupportedNode } from '@aic/connector-core/node-guard';

exitIfUnsupportedNode('aic-reference-host', '22.19.0');
