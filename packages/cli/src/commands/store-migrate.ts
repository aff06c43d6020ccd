import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { text } from '@aic/connector-core';
import { EncryptedFileTokenStore } from '@aic/store-file';
import { SqliteTokenStore, type ImportResult } from '@aic/store-sqlite';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { DEFAULT_STORE_FILES, keyError, resolveStoreKeys, stateDirOf } from '../store-config.js';
import type { Command } from './command.js';

/**
 * `aic store migrate [--from <file>] [--to <file>] [--overwrite]`: copies the encrypted JSON file
 * store (records and unexpired pending authorizations) into the SQLite store, re-sealed there,
 * in one transaction. Running it again with the same file changes nothing; a SQLite store that
 * already holds other data is left alone unless `--overwrite`. The key comes from the usual
 * places (`--key-file <file|->`, `AIC_STORE_KEY_FILE`, `AIC_STORE_KEY`), never from the command line.
 */
export const storeMigrateCommand: Command = {
  name: 'store migrate',
  arguments: [],
  options: ['from', 'to', 'overwrite'],
  usesStore: false,
  summary: text(
    'Copia el almacén de archivo cifrado (tokens.enc) al almacén SQLite, el predeterminado.',
    'Copies the encrypted file store (tokens.enc) to the SQLite store, the default one.',
  ),
  help: text(
    `--from <archivo>  almacén de archivo cifrado (predeterminado <state-dir>/tokens.enc)
--to <archivo>    almacén SQLite (predeterminado <state-dir>/tokens.db)
--overwrite       copia aunque el almacén SQLite ya tenga datos (reemplaza las mismas conexiones)
Detenga antes los hosts que usan el archivo. La misma clave abre ambos almacenes.`,
    `--from <file>     encrypted file store (default <state-dir>/tokens.enc)
--to <file>       SQLite store (default <state-dir>/tokens.db)
--overwrite       copies even when the SQLite store already holds data (replaces the same connections)
Stop the hosts using the file first. The same key opens both stores.`,
  ),
  async run({ io, out, options }) {
    const stateDir = stateDirOf(options, io);
    const at = (path: string): string => (isAbsolute(path) ? path : resolve(io.cwd, path));
    const from = at(options.from ?? join(stateDir, DEFAULT_STORE_FILES.file));
    const to = at(options.to ?? join(stateDir, DEFAULT_STORE_FILES.sqlite));
    const keys = await resolveStoreKeys(
      {
        keyFile: options['key-file'],
        previousKeyFiles: options['previous-key-file'],
        readLine: () => io.readLine(io.signal),
        stateDir,
        cwd: io.cwd,
        env: io.env,
      },
      (message) => out.note(message),
    );
    if (keys === undefined) {
      throw keyError(text(`Para migrar ${from} hace falta su clave.`, `Migrating ${from} needs its key.`));
    }
    if (!existsSync(from)) {
      throw new CliError(
        CliErrorCode.Usage,
        text(
          `No hay un almacén de archivo en ${from}: nada que migrar (indíquelo con --from).`,
          `There is no file store at ${from}: nothing to migrate (name it with --from).`,
        ),
      );
    }
    const snapshot = await new EncryptedFileTokenStore({ path: from, keys }).snapshot();
    const target = new SqliteTokenStore({ path: to, keys });
    let result: ImportResult;
    try {
      result = await target.importSnapshot(
        { source: from, ...snapshot },
        { now: Date.now(), overwrite: options.overwrite === true },
      );
    } finally {
      target.close();
    }
    if (result.outcome === 'target_not_empty') {
      throw new CliError(
        CliErrorCode.StoreNotEmpty,
        text(
          `${to} ya tiene ${result.records} registro(s) y ${result.pending} autorización(es) pendiente(s) que no vienen de ${from}: no se copió nada. Use --overwrite para reemplazar las mismas conexiones y conservar las demás, o elija otro --to.`,
          `${to} already holds ${result.records} record(s) and ${result.pending} pending authorization(s) that do not come from ${from}: nothing was copied. Use --overwrite to replace the same connections and keep the others, or choose another --to.`,
        ),
      );
    }
    if (result.outcome === 'already_imported') {
      const when = new Date(result.importedAt).toISOString();
      out.result({ ok: true, from, to, ...result, importedAt: when }, [
        out.t(
          text(
            `${from} ya se migró a ${to} (${when}: ${result.records} registro(s), ${result.pending} autorización(es) pendiente(s)); no se cambió nada.`,
            `${from} was already migrated to ${to} (${when}: ${result.records} record(s), ${result.pending} pending authorization(s)); nothing changed.`,
          ),
        ),
      ]);
      return ExitCode.Ok;
    }
    out.result({ ok: true, from, to, ...result }, [
      out.t(text(`Migrado ${from} → ${to}:`, `Migrated ${from} → ${to}:`)),
      out.t(
        text(
          `  registros: ${result.records} (${result.replaced} reemplazado(s), ${result.versionsKept} con su versión)`,
          `  records: ${result.records} (${result.replaced} replaced, ${result.versionsKept} with their version kept)`,
        ),
      ),
      out.t(
        text(
          `  autorizaciones pendientes: ${result.pending} (${result.expiredPending} vencida(s), no copiada(s))`,
          `  pending authorizations: ${result.pending} (${result.expiredPending} expired, not copied)`,
        ),
      ),
      out.t(
        text(
          `El almacén predeterminado ya es SQLite: los comandos usan ${to}. Conserve ${from} como copia hasta comprobarlo.`,
          `SQLite is the default store: commands now use ${to}. Keep ${from} as a backup until you have checked it.`,
        ),
      ),
    ]);
    return ExitCode.Ok;
  },
};
