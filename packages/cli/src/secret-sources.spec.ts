import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalizedText } from '@aic/connector-core';
import { CliError } from './cli-error.js';
import { SecretReader, resolveRedisTarget, type RedisFlags } from './secret-sources.js';

const PASSWORD = 'r3d!s@pa:ss w0rd';
const ENCODED = encodeURIComponent(PASSWORD);

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'aic-secrets-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Standard input holding `lines`, and how many were read. */
function stdin(...lines: string[]) {
  const queue = [...lines];
  const reads = { count: 0 };
  return { reads, readLine: () => (reads.count++, Promise.resolve(queue.shift())) };
}

async function target(flags: Partial<RedisFlags>, input = stdin()) {
  const warnings: LocalizedText[] = [];
  const result = await resolveRedisTarget(
    { env: {}, ...flags },
    new SecretReader(dir, input.readLine),
    (warning) => warnings.push(warning),
  );
  return { result, warnings };
}

async function refusal(flags: Partial<RedisFlags>, input = stdin()): Promise<CliError> {
  const error = await target(flags, input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

describe('resolveRedisTarget', () => {
  it('refuses a password inside --redis-url, naming where it goes and never echoing it', async () => {
    const error = await refusal({ redisUrl: `redis://operator:${ENCODED}@127.0.0.1:6379` });
    expect(error.code).toBe('ERR_USAGE');
    expect(error.localized).toEqual({
      es: '--redis-url lleva una contraseña, y en la línea de órdenes la ven otros usuarios (ps) y queda en el historial: quítela de la URL y pásela en un archivo (--redis-password-file <archivo> o AIC_REDIS_PASSWORD_FILE), en la variable AIC_REDIS_PASSWORD, o por la entrada estándar (--redis-password-file -).',
      en: '--redis-url holds a password, and on the command line other users see it (ps) and it stays in the shell history: remove it from the URL and pass it in a file (--redis-password-file <file> or AIC_REDIS_PASSWORD_FILE), in the AIC_REDIS_PASSWORD variable, or on standard input (--redis-password-file -).',
    });
    expect(JSON.stringify(error)).not.toContain('pa:ss');
  });

  it('takes the password out of AIC_REDIS_URL (the environment is a place for secrets)', async () => {
    const { result } = await target({
      env: { AIC_REDIS_URL: `redis://operator:${ENCODED}@127.0.0.1:6379/2` },
    });
    expect(result).toEqual({ url: 'redis://operator@127.0.0.1:6379/2', password: PASSWORD });
  });

  it('reads the password from a file (one final line break dropped), warning when others can read it', async () => {
    await writeFile(join(dir, 'redis.pw'), `${PASSWORD}\n`, { mode: 0o600 });
    const quiet = await target({ redisUrl: 'redis://127.0.0.1:6379', redisPasswordFile: 'redis.pw' });
    expect(quiet).toEqual({ result: { url: 'redis://127.0.0.1:6379', password: PASSWORD }, warnings: [] });
    await chmod(join(dir, 'redis.pw'), 0o644);
    const loose = await target({
      env: { AIC_REDIS_URL: 'redis://h:1', AIC_REDIS_PASSWORD_FILE: 'redis.pw' },
    });
    expect(loose.result.password).toBe(PASSWORD);
    expect(loose.warnings.map((w) => w.en)).toEqual([
      `Warning: other users can read the password file ${join(dir, 'redis.pw')}; restrict its permissions (chmod 600).`,
    ]);
  });

  it('reads the password from standard input with -, and from AIC_REDIS_PASSWORD', async () => {
    const input = stdin(PASSWORD, 'next line');
    const piped = await target({ redisUrl: 'rediss://cache:6380', redisPasswordFile: '-' }, input);
    expect(piped.result).toEqual({ url: 'rediss://cache:6380', password: PASSWORD });
    expect(input.reads.count).toBe(1);
    const env = await target({ redisUrl: 'redis://h:1', env: { AIC_REDIS_PASSWORD: PASSWORD } });
    expect(env.result.password).toBe(PASSWORD);
    expect((await target({ redisUrl: 'redis://h:1' })).result).toEqual({ url: 'redis://h:1' });
  });

  it('refuses a password given twice, an empty one, an unreadable file and empty standard input', async () => {
    const twice = await refusal({
      env: { AIC_REDIS_URL: `redis://:${ENCODED}@h:1`, AIC_REDIS_PASSWORD: 'other' },
    });
    expect(twice.localized.en).toBe(
      'The Redis password is given twice (in AIC_REDIS_URL and in AIC_REDIS_PASSWORD): keep only one.',
    );
    await writeFile(join(dir, 'empty.pw'), '\n');
    expect((await refusal({ redisUrl: 'redis://h:1', redisPasswordFile: 'empty.pw' })).localized.en).toMatch(
      /^.*empty\.pw is empty\. For the Redis password, pass it in a file/,
    );
    const missing = await refusal({ redisUrl: 'redis://h:1', redisPasswordFile: 'nope.pw' });
    expect(missing.localized.en).toMatch(new RegExp(`^Could not read the file ${join(dir, 'nope.pw')}\\.`));
    const blank = await refusal({ redisUrl: 'redis://h:1', redisPasswordFile: '-' }, stdin(''));
    expect(blank.code).toBe('ERR_USAGE');
    expect(blank.localized.en).toMatch(/^--redis-password-file - expects the secret on the first line/);
  });

  it('refuses URLs it cannot read without echoing them', async () => {
    for (const redisUrl of [
      `redis://:${PASSWORD}@host:99999`,
      'redis://:p@ss/w0rd@127.0.0.1:6379',
      'redis://h:1/0?password=x',
      'http://h:1',
    ]) {
      const error = await refusal({ redisUrl });
      expect(error.code).toBe('ERR_USAGE');
      expect(`${error.localized.es} ${error.localized.en}`).not.toMatch(/w0rd|pa:ss|password=x/);
    }
    expect((await refusal({})).localized.en).toBe(
      'The Redis store needs --redis-url or AIC_REDIS_URL (e.g. redis://127.0.0.1:6379).',
    );
  });
});

describe('SecretReader', () => {
  it('gives standard input to one secret only', async () => {
    const reader = new SecretReader(dir, stdin('a', 'b').readLine);
    const fail = (what: LocalizedText) => new CliError('ERR_USAGE', what);
    expect((await reader.read('-', '--key-file', fail)).value).toBe('a');
    await expect(reader.read('-', '--redis-password-file', fail)).rejects.toMatchObject({
      code: 'ERR_USAGE',
      localized: {
        en: '--key-file and --redis-password-file both ask for standard input (“-”): only one secret can come from it; pass the other in a file or the environment.',
      },
    });
  });
});
