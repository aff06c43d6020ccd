import { text, type LocalizedText } from '@aic/connector-core';
import type { Lang } from './lang.js';
import { counted } from './times.js';

/** "a, b y c" / "a, b and c" (`Intl.ListFormat`). */
const list = (lang: Lang, items: readonly string[]): string =>
  new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);

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
  waiting: (redirect: string, addresses: readonly string[], wait: LocalizedText) =>
    text(
      `Esperando la redirección del navegador en ${redirect} (escuchando en ${list('es', addresses)}; máximo ${wait.es})…`,
      `Waiting for the browser's redirect on ${redirect} (listening on ${list('en', addresses)}; at most ${wait.en})…`,
    ),
  ignoredRequest: (redirect: string, reason: LocalizedText) =>
    text(
      `Se ignoró una petición a ${redirect}: ${reason.es}. Se sigue esperando la redirección de esta autorización.`,
      `Ignored a request to ${redirect}: ${reason.en}. Still waiting for this authorization's redirect.`,
    ),
  ignoredState: text(
    'no trae el «state» de esta autorización (ERR_STATE_MISMATCH)',
    'it does not carry this authorization’s “state” (ERR_STATE_MISMATCH)',
  ),
  ignoredMalformed: text(
    'no es una redirección válida: falta «state» o «code», o hay parámetros repetidos (ERR_INVALID_CALLBACK)',
    'it is not a valid redirect: “state” or “code” is missing, or a parameter is repeated (ERR_INVALID_CALLBACK)',
  ),
  ignoredIssuer: text(
    'su «iss» no es el servidor de autorización de este proveedor (RFC 9207, ERR_ISSUER_MISMATCH)',
    'its “iss” is not this provider’s authorization server (RFC 9207, ERR_ISSUER_MISMATCH)',
  ),
  secretExpiredBeforeLogin: (file: string, expired: string, signIn: boolean) =>
    text(
      `Aviso: según ${file}, el secreto de cliente ${expired}. Si es así, el proveedor rechazará a este cliente (ERR_CLIENT_SECRET_EXPIRED): genere un secreto nuevo en el portal del proveedor y actualice clientSecret y su fecha en el archivo${signIn ? ' antes de iniciar sesión' : ''}.`,
      `Warning: according to ${file}, the client secret ${expired}. If so, the provider will refuse this client (ERR_CLIENT_SECRET_EXPIRED): create a new secret in the provider's portal and update clientSecret and its date in the file${signIn ? ' before signing in' : ''}.`,
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
  pageNotThisTitle: text('Esta no es la redirección esperada', 'Not the expected redirect'),
  pageNotThis: text(
    'Esta petición no es la redirección de la autorización en curso y se ignoró. Si está autorizando una conexión, termine el inicio de sesión en la página del proveedor que abrió con la URL de aic.',
    'This request is not the redirect of the authorization in progress and was ignored. If you are authorizing a connection, finish signing in on the provider page you opened with the URL from aic.',
  ),
  pageBusyTitle: text('Demasiadas peticiones', 'Too many requests'),
  pageBusy: text(
    'Hay demasiadas peticiones en espera; inténtelo de nuevo en unos segundos.',
    'Too many requests are waiting; try again in a few seconds.',
  ),
  pageClosedTitle: text('No hay una autorización en curso', 'No authorization in progress'),
  pageClosed: text(
    'La autorización ya terminó; vea la terminal.',
    'The authorization is over; see the terminal.',
  ),

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
  hasRefreshToken: text('Token de actualización', 'Refresh token'),
  reauthorizeAgain: text('Autorizar de nuevo', 'Authorize again'),
  clientSecret: text('Secreto de cliente', 'Client secret'),
  lapsedRenews: text(
    'el token de acceso venció y se renovará solo en la próxima llamada',
    'the access token expired and will renew itself on the next call',
  ),
  lapsedReauthorize: text(
    'el token de acceso venció y no se puede renovar: autorice de nuevo (aic connect)',
    'the access token expired and cannot be renewed: authorize again (aic connect)',
  ),
  deadlineReauthorize: text('autorizar de nuevo', 'authorize again'),
  deadlineClientSecret: text('el secreto de cliente', 'the client secret'),
  deadlineAccessToken: text(
    'el token de acceso (sin token de actualización)',
    'the access token (no refresh token)',
  ),
  warnings: text('Avisos', 'Warnings'),
  probeStatus: text('Llamada de prueba', 'Probe call'),

  // aic token
  accessToken: text('Token de acceso', 'Access token'),
  masked: (tail: string, length: number) => {
    const characters = counted(length, {
      es: { one: '# carácter', other: '# caracteres' },
      en: { one: '# character', other: '# characters' },
    });
    return text(`${tail} (${characters.es})`, `${tail} (${characters.en})`);
  },
  revealHint: text(
    'El token no se muestra: use --reveal para imprimirlo.',
    'The token is not shown: use --reveal to print it.',
  ),

  // aic disconnect
  disconnected: (connection: string) =>
    text(
      `Conexión «${connection}» olvidada: se borraron sus tokens (la autorización en el proveedor no se revoca).`,
      `Connection “${connection}” forgotten: its tokens were deleted (the grant at the provider is not revoked).`,
    ),

  // aic connections
  noConnections: (path: string) =>
    text(
      `No hay conexiones registradas en ${path}: cree una con «aic connect <conector> --connection <id> --credentials <archivo>».`,
      `No connections are registered in ${path}: create one with “aic connect <connector> --connection <id> --credentials <file>”.`,
    ),
  columnConnection: text('CONEXIÓN', 'CONNECTION'),
  columnConnector: text('CONECTOR', 'CONNECTOR'),
  columnState: text('ESTADO', 'STATE'),
  columnNextDeadline: text('PRÓXIMO VENCIMIENTO', 'NEXT DEADLINE'),

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
