import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PasswordHashFormatError, hashPassword, parsePasswordHash, verifyPassword } from './password.js';

const CHEAP = { logN: 10 } as const;

describe('hashPassword / verifyPassword', () => {
  it('writes a PHC-style scrypt string with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse', CHEAP);
    const b = await hashPassword('correct horse', CHEAP);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('uses N = 2^15, r = 8, p = 1 by default', async () => {
    expect(await hashPassword('x')).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('contraseña-ñ', CHEAP);
    expect(await verifyPassword('contraseña-ñ', stored)).toBe(true);
    expect(await verifyPassword('contraseña-n', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats canonically equivalent Unicode (NFC) as the same password', async () => {
    const stored = await hashPassword('cafe\u0301', CHEAP);
    expect(await verifyPassword('caf\u00e9', stored)).toBe(true);
  });

  it('refuses an empty password and out-of-range costs', async () => {
    await expect(hashPassword('')).rejects.toBeInstanceOf(RangeError);
    await expect(hashPassword('x', { logN: 9 })).rejects.toBeInstanceOf(PasswordHashFormatError);
    await expect(hashPassword('x', { logN: 21 })).rejects.toBeInstanceOf(PasswordHashFormatError);
    await expect(hashPassword('x', { r: 0 })).rejects.toBeInstanceOf(PasswordHashFormatError);
  });
});

describe('parsePasswordHash', () => {
  it.each([
    ['plain text', 'hunter2'],
    ['bcrypt', '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
    ['a short hash', '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$abc'],
    ['N beyond the allowed cost', `$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$${'A'.repeat(43)}`],
  ])('refuses %s with ERR_PASSWORD_HASH_FORMAT, never echoing it', (_name, stored) => {
    let error: unknown;
    try {
      parsePasswordHash(stored);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PasswordHashFormatError);
    expect((error as PasswordHashFormatError).code).toBe('ERR_PASSWORD_HASH_FORMAT');
    expect((error as Error).message).not.toContain(stored);
  });
});

describe('the README one-liner (no CLI, no package import)', () => {
  it('produces a hash verifyPassword accepts, reading the password from stdin', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- hash-one-liner -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const script = /node -e '([\s\S]*?)'/.exec(block!)?.[1];
    expect(script).toBeDefined();
    const run = spawnSync(process.execPath, ['-e', script!], { input: 'operador Ñ 1', encoding: 'utf8' });
    expect(run.status).toBe(0);
    const stored = run.stdout.trim();
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword('operador Ñ 1', stored)).toBe(true);
    expect(await verifyPassword('operador N 1', stored)).toBe(false);
  });
});
