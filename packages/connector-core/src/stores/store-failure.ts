import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text, type LocalizedText } from '../errors/localized.js';

/**
 * Why a durable store failed. Part of the public API: a host may branch on it (e.g. page an
 * operator on `wrong_key`, retry on `unavailable`).
 *
 * - `corrupted`: the data is truncated, not what this store writes, or fails its integrity check
 *   (tampered).
 * - `wrong_key`: no configured key opens the data.
 * - `unsupported_format`: written by an unknown (newer) format version.
 * - `io`: the file system refused a read or write (permissions, disk full).
 * - `unavailable`: the store server (Redis) did not answer in time or the connection is down.
 * - `lock_timeout`: another holder kept the connection's lock longer than the caller would wait.
 * - `lease_lapsed`: the connection's lock would lapse before a token request could finish, so the
 *   request was not started (nothing was sent).
 * - `rolled_back`: the store's data is older than data this process already read from it (a
 *   restored backup or a replaced file while the host runs).
 */
export type StoreFailureReason =
  | 'corrupted'
  | 'wrong_key'
  | 'unsupported_format'
  | 'io'
  | 'unavailable'
  | 'lock_timeout'
  | 'lease_lapsed'
  | 'rolled_back';

const messages: Record<StoreFailureReason, (where: string) => LocalizedText> = {
  corrupted: (where) =>
    text(
      `Los datos del almacén de tokens (${where}) están truncados, dañados o fueron modificados y no se pueden leer. Restaure una copia de seguridad, o elimínelos y autorice de nuevo las conexiones.`,
      `The token store data (${where}) is truncated, damaged or was modified and cannot be read. Restore a backup, or delete it and authorize the connections again.`,
    ),
  wrong_key: (where) =>
    text(
      `Ninguna de las claves configuradas abre el almacén de tokens (${where}). Configure la clave con la que se escribió, o agréguela como clave anterior si la rotó.`,
      `None of the configured keys opens the token store (${where}). Configure the key it was written with, or add it as a previous key if you rotated it.`,
    ),
  unsupported_format: (where) =>
    text(
      `El almacén de tokens (${where}) tiene un formato desconocido o de una versión más nueva. Actualice el conector, o use una copia escrita por esta versión.`,
      `The token store (${where}) has an unknown format or one from a newer version. Upgrade the connector, or use a copy written by this version.`,
    ),
  io: (where) =>
    text(
      `No se pudo leer o escribir el almacén de tokens (${where}). Revise los permisos del archivo y del directorio y el espacio en disco.`,
      `The token store (${where}) could not be read or written. Check the file and directory permissions and the free disk space.`,
    ),
  unavailable: (where) =>
    text(
      `El almacén de tokens (${where}) no respondió a tiempo o no hay conexión. Revise el servidor y la red; reintente cuando vuelva a estar disponible.`,
      `The token store (${where}) did not answer in time or is not connected. Check the server and the network; retry once it is available again.`,
    ),
  lease_lapsed: (where) =>
    text(
      `El bloqueo de la conexión en el almacén de tokens (${where}) vencería antes de que terminara la solicitud de token, así que no se envió. Reintente; si se repite, el almacén responde demasiado lento.`,
      `The connection's lock in the token store (${where}) would lapse before a token request could finish, so none was sent. Retry; if it happens again, the store is answering too slowly.`,
    ),
  rolled_back: (where) =>
    text(
      `El almacén de tokens (${where}) contiene datos más antiguos que los que este proceso ya leyó: se restauró una copia o se reemplazó mientras el host corría. Detenga el host, restaure los datos más recientes o autorice de nuevo las conexiones.`,
      `The token store (${where}) holds data older than data this process already read: a copy was restored or it was replaced while the host was running. Stop the host, restore the newest data or authorize the connections again.`,
    ),
  lock_timeout: (where) =>
    text(
      `Otro proceso retiene el bloqueo de esta conexión en el almacén de tokens (${where}) más tiempo del que se puede esperar. Reintente en unos segundos.`,
      `Another process holds this connection's lock in the token store (${where}) for longer than the caller can wait. Retry in a few seconds.`,
    ),
};

/**
 * A durable token store could not do its job (`ERR_STORE_FAILURE`). The message says what to do;
 * it names the store (a file path or `redis`) but never key material, tokens or record contents.
 * A store never answers "no record" when it cannot read: it throws this instead.
 */
export class StoreFailureError extends ConnectorError {
  override readonly name: string = 'StoreFailureError';
  readonly reason: StoreFailureReason;

  constructor(reason: StoreFailureReason, where: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.StoreFailure, messages[reason](where), options);
    this.reason = reason;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { reason: this.reason };
  }
}

/** True when `error` is a {@link StoreFailureError} (also across duplicated copies of core). */
export function isStoreFailure(error: unknown): error is StoreFailureError {
  return (
    error instanceof StoreFailureError ||
    (error instanceof Error &&
      (error as { code?: unknown }).code === ErrorCode.StoreFailure &&
      typeof (error as { reason?: unknown }).reason === 'string')
  );
}

/**
 * A fenced write lost (`ERR_STORE_CONFLICT`): the stored record is not the version the writer
 * read, because another holder wrote after this one's lease lapsed. The store changed nothing.
 */
export class StoreConflictError extends ConnectorError {
  override readonly name: string = 'StoreConflictError';

  constructor(where: string, options: { cause?: unknown } = {}) {
    super(
      ErrorCode.StoreConflict,
      text(
        `Otro proceso actualizó esta conexión en el almacén de tokens (${where}) mientras esta operación esperaba; no se sobrescribió nada.`,
        `Another process updated this connection in the token store (${where}) while this operation was waiting; nothing was overwritten.`,
      ),
      options,
    );
  }
}

/** True when `error` is a lost fenced write (also across duplicated copies of core). */
export function isStoreConflict(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === ErrorCode.StoreConflict;
}
