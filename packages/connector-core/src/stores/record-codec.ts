import type { ConnectionRecord } from './connection-record.js';
import { StoreFailureError } from './store-failure.js';
import type { PendingAuthorization } from './token-store.js';

/*
 * Shape checks for records read back from a durable store. A store never hands the engine a value
 * it did not write: anything else is `ERR_STORE_FAILURE` (`corrupted`), not a silent default.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || check(value);

function isTokenSet(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value['accessToken']) &&
    isString(value['tokenType']) &&
    isTime(value['expiresAt']) &&
    isTime(value['issuedAt']) &&
    optional(isString)(value['refreshToken']) &&
    optional(isString)(value['scope'])
  );
}

const isOrigins = (value: unknown): boolean =>
  isObject(value) && isString(value['token']) && isString(value['apiBase']);

/** A stored {@link ConnectionRecord}, checked; throws `StoreFailureError('corrupted')` otherwise. */
export function decodeConnectionRecord(value: unknown, where: string): ConnectionRecord {
  if (
    isObject(value) &&
    (value['status'] === 'active' || value['status'] === 'reauthorization_required') &&
    isTime(value['updatedAt']) &&
    optional(isTokenSet)(value['tokens']) &&
    optional(isString)(value['reauthorizationReason']) &&
    optional(isTime)(value['authorizedAt']) &&
    optional(isTime)(value['refreshTokenDeadline']) &&
    optional(isTime)(value['version']) &&
    optional(isOrigins)(value['origins'])
  ) {
    return value as unknown as ConnectionRecord;
  }
  throw new StoreFailureError('corrupted', where);
}

/** A stored {@link PendingAuthorization}, checked; throws `StoreFailureError('corrupted')` otherwise. */
export function decodePendingAuthorization(value: unknown, where: string): PendingAuthorization {
  if (
    isObject(value) &&
    isString(value['connectorId']) &&
    isString(value['connectionId']) &&
    isString(value['stateDigest']) &&
    isString(value['redirectUri']) &&
    optional(isString)(value['codeVerifier']) &&
    isTime(value['createdAt']) &&
    isTime(value['expiresAt'])
  ) {
    return value as unknown as PendingAuthorization;
  }
  throw new StoreFailureError('corrupted', where);
}
