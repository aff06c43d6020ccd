import { createHash } from 'node:crypto';
import type { SecretRegistry } from './secrets.js';

const digest = (seed: string): string => createHash('sha256').update(seed, 'utf8').digest('base64url');

/** The client id the kit configures unless a scenario needs a special one. */
export const KIT_CLIENT_ID = 'conformance-client';

/**
 * Deterministic values for one scenario: the same scenario always issues the same tokens, so
 * reports are reproducible, and every value is long and distinctive, so a leak check cannot
 * miss it or confuse it with ordinary text. Access and refresh tokens are over 100 characters
 * (PROVIDERS.md: plan for ≥ 100). Every value is registered as a secret when it is made.
 */
export class KitValues {
  readonly #seed: string;
  readonly #secrets: SecretRegistry;
  readonly #counters = new Map<string, number>();

  constructor(seed: string, secrets: SecretRegistry) {
    this.#seed = seed;
    this.#secrets = secrets;
  }

  #next(prefix: string): { n: number; hash: string } {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return { n, hash: digest(`${this.#seed}\u001f${prefix}\u001f${n}`) };
  }

  /** A fresh access token (≥ 100 characters). */
  accessToken(): string {
    const { n, hash } = this.#next('at');
    const value = `kit-at-${n}.${hash}${digest(hash)}`;
    this.#secrets.add('access token', value);
    return value;
  }

  /** A fresh refresh token (≥ 100 characters). */
  refreshToken(): string {
    const { n, hash } = this.#next('rt');
    const value = `kit-rt-${n}.${hash}${digest(hash)}`;
    this.#secrets.add('refresh token', value);
    return value;
  }

  /** A JWT-shaped id_token (never to be mistaken for the access token). */
  idToken(): string {
    const { hash } = this.#next('id');
    const header = Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url');
    const value = `${header}.${Buffer.from(`{"sub":"kit-user","nonce":"${hash}"}`).toString('base64url')}.${digest(hash)}`;
    this.#secrets.add('id token', value);
    return value;
  }

  /**
   * A fresh authorization code. It holds `/`, `+` and `=` on purpose (RFC 6749 §4.1.2 puts no
   * limit on the characters): a connector that does not encode it correctly sends another code.
   */
  authorizationCode(): string {
    const { n, hash } = this.#next('code');
    const value = `kit-code-${n}.${hash.slice(0, 16)}/Splx+lOB=eZ`;
    this.#secrets.add('authorization code', value);
    return value;
  }

  /** The client secret of a connection: letters, digits and `-` only, so any schema accepts it. */
  clientSecret(): string {
    const { n, hash } = this.#next('cs');
    const value = `kit-client-secret-${n}-${hash.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`;
    this.#secrets.add('client secret', value);
    return value;
  }
}
