/** A connector package on disk (loaded by path in the CLI tests): the kit's reference connector. */
export { referenceCodeModule as connectorModule } from '../../../self-test/reference.js';
