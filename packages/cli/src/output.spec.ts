import { InvalidCredentialsError, text } from '@aic/connector-core';
import { MemoryIo } from './__fixtures__/memory-io.js';
import { CliError, CliErrorCode } from './cli-error.js';
import { Output, toReportedError } from './output.js';

describe('toReportedError', () => {
  it('keeps a typed error’s code, both languages and its bad fields', () => {
    const issue = { pointer: '/clientId', message: text('falta', 'missing') };
    expect(toReportedError(new InvalidCredentialsError([issue]))).toEqual({
      code: 'ERR_INVALID_CREDENTIALS',
      message: {
        es: 'Credenciales inválidas (1): /clientId: falta',
        en: 'Invalid credentials (1): /clientId: missing',
      },
      issues: [issue],
    });
    expect(toReportedError(new CliError(CliErrorCode.Usage, text('a', 'b')))).toEqual({
      code: 'ERR_USAGE',
      message: { es: 'a', en: 'b' },
    });
  });

  it('reports anything else as ERR_INTERNAL without URL passwords (an @ in one included)', () => {
    expect(toReportedError(new TypeError('cannot reach redis://admin:hunter2@secret@10.0.0.5:6379'))).toEqual(
      {
        code: 'ERR_INTERNAL',
        message: {
          es: 'Error inesperado (TypeError): cannot reach redis://admin:***@10.0.0.5:6379',
          en: 'Unexpected error (TypeError): cannot reach redis://admin:***@10.0.0.5:6379',
        },
      },
    );
    expect(toReportedError('boom').code).toBe('ERR_INTERNAL');
  });
});

describe('Output', () => {
  it('prints the JSON document only in --json mode and human lines otherwise', () => {
    const json = new MemoryIo({ cwd: '/' });
    new Output(json, 'en', true).result({ ok: true, n: 1 }, ['ignored']);
    expect(json.out).toBe('{\n  "ok": true,\n  "n": 1\n}\n');
    const human = new MemoryIo({ cwd: '/' });
    new Output(human, 'es', false).result({ ok: true }, ['uno', 'dos']);
    expect(human.out).toBe('uno\ndos\n');
  });

  it('lists invalid credential fields one per line for people', () => {
    const io = new MemoryIo({ cwd: '/' });
    new Output(io, 'en', false).error(
      toReportedError(
        new InvalidCredentialsError([
          { pointer: '/a', message: text('falta a', 'a is missing') },
          { pointer: '', message: text('no es un objeto', 'not an object') },
        ]),
      ),
    );
    expect(io.err).toBe(
      'Error [ERR_INVALID_CREDENTIALS]: Invalid credentials (2):\n  - /a: a is missing\n  - /: not an object\n',
    );
  });
});
