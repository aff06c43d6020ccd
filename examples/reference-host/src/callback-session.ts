import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '@aic/connector-core';

/** Name of the cookie that binds a started authorization to the browser that started it. */
export const SESSION_COOKIE = 'aic_oauth';
/** The callback path every authorization code connection's redirect URI points to. */
export const CALLBACK_PATH = '/oauth/callback';

/**
 * The `Set-Cookie` for a started authorization: which connection and which `state`, readable
 * only by this host on the callback path (HttpOnly, SameSite=Lax so it survives the provider's
 * top-level redirect back). Binding the state to the browser as well as to the pending store
 * means a callback forged in someone else's browser is refused before any token request
 * (RFC 6749 §10.12).
 */
export function sessionCookie(
  connectionId: string,
  state: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(connectionId)}.${state}`,
    `Path=${CALLBACK_PATH}`,
    `Max-Age=${Math.max(0, Math.ceil(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Clears the session cookie once the callback was handled (success or not). */
export const clearedSessionCookie = (secure: boolean): string =>
  `${SESSION_COOKIE}=; Path=${CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

/**
 * The connection a callback belongs to: the session cookie's connection, provided the cookie's
 * state equals the callback's (compared in constant time). `undefined` means a state mismatch.
 */
export function callbackConnection(
  request: IncomingMessage,
  callbackState: string | null,
): string | undefined {
  const cookie = (request.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`));
  if (cookie === undefined || callbackState === null) return undefined;
  const value = cookie.slice(SESSION_COOKIE.length + 1);
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const state = value.slice(dot + 1);
  if (!constantTimeEqual(state, callbackState)) return undefined;
  try {
    return decodeURIComponent(value.slice(0, dot));
  } catch {
    return undefined;
  }
}
