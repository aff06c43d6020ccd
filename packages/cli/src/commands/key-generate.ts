import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { generateStoreKey, text } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Command } from './command.js';

/**
 * `aic key generate [--out <file>]`: a fresh AES-256 key (32 random bytes, base64) for the
 * encrypted file store. With `--out` it is written to a new file with mode 0600 (an existing
 * file is never overwritten: that would make its store unreadable) and not printed.
 */
export const keyGenerateCommand: Command = {
  name: 'key generate',
  arguments: [],
  options: ['out'],
  usesStore: false,
  summary: text(
    'Genera una clave nueva para el almacén cifrado.',
    'Generates a new key for the encrypted store.',
  ),
  help: text(
    '--out <archivo>   escribe la clave en un archivo nuevo (permisos 600) en lugar de imprimirla',
    '--out <file>      writes the key to a new file (mode 600) instead of printing it',
  ),
  async run({ out, io, options }) {
    const key = generateStoreKey().toString('base64');
    if (options.out === undefined) {
      out.note(messages.keyPrinted);
      out.result({ ok: true, key }, [key]);
      return ExitCode.Ok;
    }
    const path = isAbsolute(options.out) ? options.out : resolve(io.cwd, options.out);
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      const exists = (error as { code?: unknown }).code === 'EEXIST';
      throw new CliError(
        exists ? CliErrorCode.Usage : CliErrorCode.StateFile,
        exists
          ? text(
              `${path} ya existe: no se sobrescribe una clave (el almacén que cifra quedaría ilegible).`,
              `${path} already exists: a key is never overwritten (the store it encrypts would become unreadable).`,
            )
          : text(`No se pudo escribir ${path}.`, `Could not write ${path}.`),
        { cause: error },
      );
    }
    out.result({ ok: true, keyFile: path }, [out.t(messages.keyWritten(path))]);
    return ExitCode.Ok;
  },
};
