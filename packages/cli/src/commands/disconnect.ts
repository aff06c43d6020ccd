import { connectionKey, isConnectorError, text, ErrorCode } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Command } from './command.js';

/**
 * `aic disconnect <connection>`: deletes the connection's tokens from the store and removes it
 * from the connections file. Works even when its credentials file is gone or no longer valid.
 */
export const disconnectCommand: Command = {
  name: 'disconnect',
  arguments: ['connection'],
  options: [],
  usesStore: true,
  summary: text(
    'Olvida una conexión: borra sus tokens y la quita del archivo de conexiones.',
    'Forgets a connection: deletes its tokens and removes it from the connections file.',
  ),
  async run({ out, host, args }) {
    const h = await host();
    const id = args[0]!;
    try {
      const { connector, input } = await h.openConnection(id);
      await connector.disconnect(input);
    } catch (error) {
      const unusable =
        (error instanceof CliError && error.code === CliErrorCode.CredentialsFile) ||
        (isConnectorError(error) && error.code === ErrorCode.InvalidCredentials);
      if (!unusable) throw error;
      const entry = (await h.connections.get(id))!;
      const key = connectionKey(entry.connector, id);
      const store = h.stores.tokenStore;
      await store.withLock(key, () => store.delete(key));
    }
    await h.connections.remove(id);
    out.result({ ok: true, connection: id }, [out.t(messages.disconnected(id))]);
    return ExitCode.Ok;
  },
};
