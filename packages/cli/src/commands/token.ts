import { text } from '@aic/connector-core';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import { iso } from '../output.js';
import type { Command } from './command.js';
import { accessTokenExpiry } from './status-format.js';

/** The end of a token, enough to tell two tokens apart, never enough to use one. */
export function maskToken(token: string): string {
  return token.length >= 20 ? `…${token.slice(-4)}` : '…';
}

/**
 * `aic token <connection>`: a fresh access token (cached, refreshed or re-issued as needed). The
 * value is printed ONLY with `--reveal` (alone on stdout, for `$(aic token … --reveal)`);
 * otherwise its expiry and a masked form.
 */
export const tokenCommand: Command = {
  name: 'token',
  arguments: ['connection'],
  options: ['reveal', 'force-refresh'],
  usesStore: true,
  summary: text(
    'Obtiene un token de acceso vigente (solo lo imprime con --reveal).',
    'Gets a fresh access token (printed only with --reveal).',
  ),
  help: text(
    '--reveal          imprime el token de acceso (por defecto solo su vencimiento y una forma enmascarada)\n--force-refresh   renueva el token aunque siga vigente',
    '--reveal          prints the access token (by default only its expiry and a masked form)\n--force-refresh   renews the token even if it is still fresh',
  ),
  async run({ out, host, args, options, signal }) {
    const { connector, input } = await (await host()).openConnection(args[0]!);
    const token = await connector.getAccessToken(input, {
      forceRefresh: options['force-refresh'] === true,
      signal,
    });
    const base = {
      ok: true,
      connection: input.id,
      connector: connector.manifest.id,
      tokenType: token.tokenType,
      expiresAt: iso(token.expiresAt),
    };
    if (options.reveal === true) {
      if (!out.json) out.note(accessTokenExpiry(out, token.expiresAt));
      out.result({ ...base, accessToken: token.accessToken }, [token.accessToken]);
    } else {
      const masked = maskToken(token.accessToken);
      if (!out.json) out.note(messages.revealHint);
      out.result({ ...base, masked, length: token.accessToken.length }, [
        `${out.t(messages.accessToken)}: ${out.t(messages.masked(masked, token.accessToken.length))}; ${accessTokenExpiry(out, token.expiresAt)}`,
      ]);
    }
    return ExitCode.Ok;
  },
};
