import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Operator password hashes: scrypt (RFC 7914) from `node:crypto`, stored as a PHC-style string
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>` (salt and hash in base64url, no padding), so
 * the cost travels with the hash and can be raised later without invalidating old ones.
 *
 * The default cost (N = 2^15, r = 8, p = 1: 32 MiB, tens of milliseconds) follows OWASP's
 * password storage guidance for scrypt. Hashing runs on libuv's thread pool (`crypto.scrypt`),
 * not on the event loop.
 */

const PREFIX = '$scrypt$';
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export interface PasswordHashOptions {
  /** log2 of scrypt's N (CPU/memory cost). Default 15; allowed 10–20. */
  readonly logN?: number | undefined;
  /** Block size. Default 8; allowed 1–32. */
  readonly r?: number | undefined;
  /** Parallelism. Default 1; allowed 1–16. */
  readonly p?: number | undefined;
}

interface Parameters {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** A password hash string that is not in the format above (says what is wrong, never the hash). */
export class PasswordHashFormatError extends Error {
  override readonly name = 'PasswordHashFormatError';
  readonly code = 'ERR_PASSWORD_HASH_FORMAT';
}

const inRange = (value: number, min: number, max: number): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

function checked(parameters: Parameters): Parameters {
  if (!inRange(parameters.logN, 10, 20) || !inRange(parameters.r, 1, 32) || !inRange(parameters.p, 1, 16)) {
    throw new PasswordHashFormatError('scrypt parameters out of range: ln must be 10–20, r 1–32, p 1–16');
  }
  return parameters;
}

function derive(password: string, salt: Buffer, { logN, r, p }: Parameters): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N, r, p, maxmem: 256 * N * r * p + 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

/** Hashes a password for the host's operator configuration. */
export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  if (password.length === 0) throw new RangeError('the password is empty');
  const parameters = checked({ logN: options.logN ?? 15, r: options.r ?? 8, p: options.p ?? 1 });
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters);
  return `${PREFIX}ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash extends Parameters {
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** Parses a stored hash; throws {@link PasswordHashFormatError} when it is not one of ours. */
export function parsePasswordHash(stored: string): ParsedHash {
  const match =
    /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{43})$/.exec(
      stored,
    );
  if (match === null) {
    throw new PasswordHashFormatError(
      'not a scrypt password hash: expected $scrypt$ln=…,r=…,p=…$<salt>$<hash> (see the console README)',
    );
  }
  const parameters = checked({ logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) });
  return {
    ...parameters,
    salt: Buffer.from(match[4]!, 'base64url'),
    key: Buffer.from(match[5]!, 'base64url'),
  };
}

/** True when `password` matches `stored` (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  const key = await derive(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}
