/** A connector package on disk that logs the authorization code (a broken connector). */
import { logsSecret } from '../../../self-test/broken/hygiene.js';

export const connectorModule = logsSecret.module;
