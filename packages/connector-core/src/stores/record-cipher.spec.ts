import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { RecordCipher, decodeStoreKey, generateStoreKey } from './record-cipher.js';
import { decodeConnectionRecord, decodePendingAuthorization } from './record-codec.js';
import { StoreFailureError, isStoreFailure } from './store-failure.js';

const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 9);

describe('RecordCipher', () => {
  it('opens what it sealed only under the same context, with a fresh IV every time', () => {
    const cipher = new RecordCipher({ current: KEY });
    const a = cipher.seal('tokens\u0000k1', { secret: 'S-1' });
    const b = cipher.seal('tokens\u0000k1', { secret: 'S-1' });
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    expect(Buffer.from(a.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64url')).toHaveLength(16);
    expect(cipher.open('tokens\u0000k1', a, 'here')).toEqual({ secret: 'S-1' });
    expect(() => cipher.open('tokens\u0000k2', a, 'here')).toThrow(
      expect.objectContaining({ code: ErrorCode.StoreFailure, reason: 'corrupted' }),
    );
  });

  it('finds the key by id: previous keys open, unknown ids are wrong_key', () => {
    const old = new RecordCipher({ current: OTHER });
    const sealed = old.seal('c', 1);
    const rotated = new RecordCipher({ current: KEY, previous: [OTHER, KEY] });
    expect(rotated.open('c', sealed, 'here')).toBe(1);
    expect(rotated.isCurrent(sealed)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('c', 1))).toBe(true);
    expect(rotated.currentKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(rotated.currentKeyId).not.toBe(old.currentKeyId);
    expect(() => new RecordCipher({ current: KEY }).open('c', sealed, 'here')).toThrow(
      expect.objectContaining({ reason: 'wrong_key' }),
    );
  });

  it('verifies document MACs: a changed text is corrupted, an unknown key id is wrong_key', () => {
    const cipher = new RecordCipher({ current: KEY });
    const mac = cipher.authenticate('canonical');
    expect(() => cipher.verify('canonical', mac, 'here')).not.toThrow();
    expect(() => cipher.verify('canonicaL', mac, 'here')).toThrow(
      expect.objectContaining({ reason: 'corrupted' }),
    );
    expect(() => cipher.verify('canonical', { ...mac, value: 'short' }, 'here')).toThrow(
      expect.objectContaining({ reason: 'corrupted' }),
    );
    expect(() => cipher.verify('canonical', { ...mac, kid: 'unknown' }, 'here')).toThrow(
      expect.objectContaining({ reason: 'wrong_key' }),
    );
  });

  it('shows no key material in util.inspect or JSON.stringify', () => {
    const cipher = new RecordCipher({ current: KEY, previous: [OTHER] });
    for (const shown of [inspect(cipher, { showHidden: true, depth: 5 }), JSON.stringify(cipher)]) {
      expect(shown).not.toContain(KEY.toString('hex'));
      expect(shown).not.toContain(OTHER.toString('base64'));
    }
  });
});

describe('store keys', () => {
  it('generates 32 random bytes', () => {
    const a = generateStoreKey();
    expect(a).toHaveLength(32);
    expect(a.equals(generateStoreKey())).toBe(false);
  });

  it('decodes hex, base64 and base64url keys, and refuses anything else without echoing it', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250));
    expect(decodeStoreKey(key.toString('hex')).equals(key)).toBe(true);
    expect(decodeStoreKey(` ${key.toString('base64')}\n`).equals(key)).toBe(true);
    expect(decodeStoreKey(key.toString('base64url')).equals(key)).toBe(true);
    for (const bad of ['', 'abc', key.toString('hex').slice(2), `${key.toString('base64')}AAAA`]) {
      let error: unknown;
      try {
        decodeStoreKey(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: ErrorCode.Configuration });
      if (bad.length > 0) expect(JSON.stringify(error)).not.toContain(bad);
    }
  });
});

describe('record codec', () => {
  it('accepts the shapes the engine writes and refuses anything else as corrupted', () => {
    const record = {
      status: 'active',
      tokens: { accessToken: 'a', tokenType: 'Bearer', expiresAt: 2, issuedAt: 1, refreshToken: 'r' },
      updatedAt: 1,
    };
    expect(decodeConnectionRecord(record, 'w')).toBe(record);
    for (const bad of [
      null,
      [],
      { ...record, status: 'other' },
      { ...record, updatedAt: '1' },
      { ...record, tokens: { ...record.tokens, expiresAt: Number.NaN } },
      { ...record, tokens: { ...record.tokens, refreshToken: 5 } },
    ]) {
      expect(() => decodeConnectionRecord(bad, 'w')).toThrow(
        expect.objectContaining({ reason: 'corrupted' }),
      );
    }
    const pending = {
      connectorId: 'c',
      connectionId: 'x',
      stateDigest: 'd',
      redirectUri: 'https://aic.test/cb',
      createdAt: 1,
      expiresAt: 2,
    };
    expect(decodePendingAuthorization(pending, 'w')).toBe(pending);
    expect(() => decodePendingAuthorization({ ...pending, codeVerifier: 1 }, 'w')).toThrow(
      expect.objectContaining({ reason: 'corrupted' }),
    );
  });
});

describe('StoreFailureError', () => {
  it('is recognised by isStoreFailure, also as a look-alike from another copy of core', () => {
    const error = new StoreFailureError('unavailable', 'redis');
    expect(isStoreFailure(error)).toBe(true);
    expect(error.localized.es).toContain('redis');
    const lookAlike = Object.assign(new Error('x'), { code: ErrorCode.StoreFailure, reason: 'io' });
    expect(isStoreFailure(lookAlike)).toBe(true);
    expect(isStoreFailure(new ConnectorError(ErrorCode.StoreFailure, text('a', 'b')))).toBe(false);
    expect(isStoreFailure('ERR_STORE_FAILURE')).toBe(false);
  });
});
