import { text, type LocalizedText } from '@aic/connector-core';

/** A connection the console manages: which connector, a name for people, its credentials. */
export interface StoredConnection {
  /** Stable id (the token store's connection id): letters, digits, `.`, `_`, `-`; at most 64. */
  readonly id: string;
  readonly connectorId: string;
  /** What operators call it. Free text, shown escaped. */
  readonly name: string;
  /** Credentials as the connector's schema describes them, secrets included. */
  readonly credentials: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Connection ids the console accepts (they appear in URLs and the token store's keys). */
export const CONNECTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Where the console keeps connections: the port a host implements. Implementations must keep
 * credentials confidential at rest (they hold client secrets): the reference host seals them
 * with core's `RecordCipher`. Nothing here is ever rendered back to a browser as a secret.
 */
export interface ConnectionRepository {
  list(): Promise<readonly StoredConnection[]>;
  get(id: string): Promise<StoredConnection | undefined>;
  /**
   * Writes a connection. With `{ create: true }` it must not exist yet (else
   * {@link ConnectionExistsError}); otherwise it replaces the stored one.
   */
  save(connection: StoredConnection, options?: { readonly create?: boolean }): Promise<void>;
  /** Removes it; removing an absent connection is not an error. */
  delete(id: string): Promise<void>;
}

/** A connection with this id already exists (`ERR_CONNECTION_EXISTS`). */
export class ConnectionExistsError extends Error {
  override readonly name = 'ConnectionExistsError';
  readonly code = 'ERR_CONNECTION_EXISTS';
  readonly localized: LocalizedText;

  constructor(id: string) {
    super(`a connection with id "${id}" already exists`);
    this.localized = text(
      `Ya existe una conexión con el id «${id}»: elija otro.`,
      `A connection with id “${id}” already exists: choose another.`,
    );
  }
}

const copy = (connection: StoredConnection): StoredConnection =>
  Object.freeze(structuredClone(connection) as StoredConnection);

/** Connections in memory: for tests and trials (lost on restart). */
export class MemoryConnectionRepository implements ConnectionRepository {
  readonly #connections = new Map<string, StoredConnection>();

  constructor(initial: readonly StoredConnection[] = []) {
    for (const connection of initial) this.#connections.set(connection.id, copy(connection));
  }

  list(): Promise<readonly StoredConnection[]> {
    return Promise.resolve(
      [...this.#connections.values()].sort(
        (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
      ),
    );
  }

  get(id: string): Promise<StoredConnection | undefined> {
    return Promise.resolve(this.#connections.get(id));
  }

  save(connection: StoredConnection, options: { readonly create?: boolean } = {}): Promise<void> {
    if (options.create === true && this.#connections.has(connection.id)) {
      return Promise.reject(new ConnectionExistsError(connection.id));
    }
    this.#connections.set(connection.id, copy(connection));
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.#connections.delete(id);
    return Promise.resolve();
  }
}
