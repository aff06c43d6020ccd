import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** base64url without padding (RFC 4648 §5). */
const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * A fresh `state` value: 256 bits from the CSPRNG, base64url (43 chars). RFC 6749 §10.12 asks
 * for a value an attacker cannot guess; the issue sets the floor at 128 bits.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function generateState(): string {
  return base64url(randomBytes(32));
}

/**
 * A PKCE `code_verifier` (RFC 7636 §4.1): 32 random octets base64url-encoded = 43 characters
 * from the unreserved set, the minimum length with 256 bits of entropy.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function generateCodeVerifier(): string {
  return base64url(randomBytes(32));
}

/** The S256 `code_challenge` (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeS256(verifier: string): string {
  return base64url(createHash('sha256').update(verifier, 'ascii').digest());
}

/** True when `verifier` satisfies RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]`. */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** SHA-256 of a state, hex: the key pending authorizations are stored under. */
export function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** Constant-time string comparison (via fixed-length digests, so lengths do not leak either). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}
