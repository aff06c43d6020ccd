import { text } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { Command } from './command.js';

/**
 * `aic key rotate --key-file <new> --previous-key-file <old>`: re-encrypts every record of the
 * encrypted file store still sealed with a previous key using the current one. Afterwards the
 * old key can be dropped.
 */
export const keyRotateCommand: Command = {
  name: 'key rotate',
  arguments: [],
  options: [],
  usesStore: true,
  summary: text(
    'Vuelve a cifrar el almacén con la clave actual (las anteriores, con --previous-key-file).',
    'Re-encrypts the store with the current key (old ones given with --previous-key-file).',
  ),
  help: text(
    'Pasos: 1) aic key generate --out nueva.key  2) aic key rotate --key-file nueva.key --previous-key-file vieja.key  3) use solo nueva.key.',
    'Steps: 1) aic key generate --out new.key  2) aic key rotate --key-file new.key --previous-key-file old.key  3) use only new.key.',
  ),
  async run({ out, host }) {
    const store = (await host()).stores.fileStore;
    if (store === undefined) {
      throw new CliError(
        CliErrorCode.Usage,
        text(
          'aic key rotate solo se aplica al almacén cifrado (--store file).',
          'aic key rotate only applies to the encrypted store (--store file).',
        ),
      );
    }
    const count = await store.rotateKeys();
    const records = out.times.plural(count, {
      es: { one: '# registro cifrado de nuevo', other: '# registros cifrados de nuevo' },
      en: { one: '# record re-encrypted', other: '# records re-encrypted' },
    });
    out.result({ ok: true, store: store.path, reencrypted: count }, [
      out.t(
        text(
          `${records} con la clave actual en ${store.path}; ya puede retirar las claves anteriores.`,
          `${records} with the current key in ${store.path}; the previous keys can now be retired.`,
        ),
      ),
    ]);
    return ExitCode.Ok;
  },
};
