import { text, type LocalizedText } from '@aic/connector-core';

/**
 * The CLI's message catalogue: every label and sentence a person reads, in Spanish and English.
 * Error messages live with the code that raises them (as in core), each built with `text(es, en)`.
 */
export const messages = {
  yes: text('sí', 'yes'),
  no: text('no', 'no'),
  none: text('ninguno', 'none'),

  // aic connectors
  noConnectors: text('No hay conectores cargados.', 'No connectors are loaded.'),
  grant: text('Concesión', 'Grant'),
  regions: text('Regiones', 'Regions'),
  capabilityPkce: text('PKCE S256', 'PKCE S256'),
  capabilityRefresh: text('token de actualización', 'refresh token'),
  capabilityDeadline: text(
    'el token de actualización tiene vida máxima (habrá que reautorizar)',
    'the refresh token has a maximum lifetime (reauthorization will be needed)',
  ),
  package: text('Paquete', 'Package'),

  // aic schema
  schemaOf: (name: string, id: string) =>
    text(`Credenciales de ${name} (${id}):`, `Credentials of ${name} (${id}):`),
  required: text('obligatorio', 'required'),
  secret: text('secreto', 'secret'),
  defaultValue: text('predeterminado', 'default'),
  schemaJsonHint: text(
    'Use --json para obtener el JSON Schema completo.',
    'Use --json to get the full JSON Schema.',
  ),

  // aic credentials check
  credentialsValid: (connector: string, file: string) =>
    text(
      `Las credenciales de ${file} son válidas para el conector «${connector}».`,
      `The credentials in ${file} are valid for connector “${connector}”.`,
    ),

  // aic connect
  openUrl: (connection: string) =>
    text(
      `Abra esta URL en su navegador para autorizar la conexión «${connection}»:`,
      `Open this URL in your browser to authorize connection “${connection}”:`,
    ),
  waiting: (redirect: string, seconds: number) =>
    text(
      `Esperando la redirección del navegador en ${redirect} (máximo ${seconds} s)…`,
      `Waiting for the browser's redirect on ${redirect} (at most ${seconds} s)…`,
    ),
  pastePrompt: text(
    'Después de autorizar, pegue aquí la URL completa a la que le llevó el navegador y pulse Intro:',
    'After authorizing, paste here the full URL your browser was sent to and press Enter:',
  ),
  authorized: (connection: string) =>
    text(`Conexión «${connection}» autorizada.`, `Connection “${connection}” authorized.`),
  tokenObtained: (connection: string) =>
    text(
      `Conexión «${connection}»: token de acceso obtenido.`,
      `Connection “${connection}”: access token obtained.`,
    ),
  pageSuccessTitle: text('Autorización completada', 'Authorization complete'),
  pageSuccessBody: text(
    'La conexión quedó autorizada. Puede cerrar esta ventana y volver a la terminal.',
    'The connection is authorized. You can close this window and return to the terminal.',
  ),
  pageFailureTitle: text('La autorización falló', 'Authorization failed'),
  pageFailureHint: text(
    'Cierre esta ventana; en la terminal verá qué hacer.',
    'Close this window; the terminal says what to do next.',
  ),
  pageNotFound: text('No encontrado.', 'Not found.'),

  // aic status / check
  connectionHeading: (connection: string, connector: string) =>
    text(`Conexión «${connection}» (${connector})`, `Connection “${connection}” (${connector})`),
  state: text('Estado', 'State'),
  states: {
    active: text('activa', 'active'),
    not_authorized: text('sin autorizar (ejecute aic connect)', 'not authorized (run aic connect)'),
    reauthorization_required: text(
      'requiere autorizar de nuevo (ejecute aic connect)',
      'must be authorized again (run aic connect)',
    ),
  } satisfies Record<string, LocalizedText>,
  reason: text('motivo', 'reason'),
  accessTokenExpires: text('Token de acceso vence', 'Access token expires'),
  hasRefreshToken: text('Token de actualización', 'Refresh token'),
  reauthorizeBefore: text('Autorizar de nuevo antes de', 'Authorize again before'),
  clientSecretExpires: text('Secreto de cliente vence', 'Client secret expires'),
  daysLeft: (days: number) => text(`${days} días`, `${days} days`),
  warnings: text('Avisos', 'Warnings'),
  probeStatus: text('Llamada de prueba', 'Probe call'),

  // aic token
  accessToken: text('Token de acceso', 'Access token'),
  masked: (tail: string, length: number) =>
    text(`${tail} (${length} caracteres)`, `${tail} (${length} characters)`),
  revealHint: text(
    'El token no se muestra: use --reveal para imprimirlo.',
    'The token is not shown: use --reveal to print it.',
  ),
  expires: text('vence', 'expires'),

  // aic disconnect
  disconnected: (connection: string) =>
    text(
      `Conexión «${connection}» olvidada: se borraron sus tokens (la autorización en el proveedor no se revoca).`,
      `Connection “${connection}” forgotten: its tokens were deleted (the grant at the provider is not revoked).`,
    ),

  // aic key generate
  keyWritten: (path: string) =>
    text(
      `Clave nueva escrita en ${path} (permisos 600). Úsela con --key-file ${path} o AIC_STORE_KEY_FILE.`,
      `New key written to ${path} (mode 600). Use it with --key-file ${path} or AIC_STORE_KEY_FILE.`,
    ),
  keyPrinted: text(
    'Guarde esta clave en un lugar seguro: sin ella el almacén cifrado no se puede leer. Úsela con AIC_STORE_KEY o guárdela en un archivo (--key-file).',
    'Keep this key safe: without it the encrypted store cannot be read. Use it with AIC_STORE_KEY or save it to a file (--key-file).',
  ),

  memoryStore: text(
    'Aviso: almacén en memoria; los tokens se pierden al terminar este comando.',
    'Note: in-memory store; tokens are lost when this command ends.',
  ),
} as const;
