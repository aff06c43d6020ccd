/**
 * @aic/console: the operator console of Aranda Integration Center connectors — server-rendered
 * pages in Spanish and English that any `node:http` host mounts with {@link createConsole}.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { createConsole } from './console.js';
export type { OperatorConsole } from './console.js';
export { ConsoleConfigError, defaultRateLimits } from './options.js';
export type {
  ConnectorCatalog,
  ConsoleOptions,
  ConsoleRateLimits,
  PasswordOperator,
  TrustedProxyAuthentication,
} from './options.js';
export { CONNECTION_ID_PATTERN, ConnectionExistsError, MemoryConnectionRepository } from './repository.js';
export type { ConnectionRepository, StoredConnection } from './repository.js';
export { PasswordHashFormatError, hashPassword, parsePasswordHash, verifyPassword } from './auth/password.js';
export type { PasswordHashOptions } from './auth/password.js';
export type { Operator } from './auth/sessions.js';
export { defaultSessionPolicy } from './auth/sessions.js';
export type { SessionPolicy } from './auth/sessions.js';
export { defaultPendingLimits } from './auth/pending.js';
export type { PendingLimits } from './auth/pending.js';
export type { RateLimit } from './auth/rate-limiter.js';
export { SafeHtml, attributes, escapeHtml, html, safeUrl } from './html/html.js';
export type { HtmlValue } from './html/html.js';
