import type { ErrorContext } from '../errors/connector-error.js';
import { ReauthorizationRequiredError } from '../errors/errors.js';
import { text } from '../errors/localized.js';

/** Why a connection needs a person to authorize it again, in the operator's two languages. */
const REASONS: Readonly<Record<string, readonly [es: string, en: string]>> = {
  not_authorized: ['la conexión aún no ha sido autorizada', 'the connection has not been authorized yet'],
  no_refresh_token: [
    'no hay token de actualización para renovar el acceso',
    'there is no refresh token to renew access',
  ],
  refresh_token_expired: [
    'el token de actualización alcanzó su vida máxima y no se puede extender',
    'the refresh token reached its maximum lifetime and cannot be extended',
  ],
  invalid_grant: [
    'el proveedor rechazó el token de actualización',
    'the provider rejected the refresh token',
  ],
  refresh_interrupted: [
    'un proceso que renovaba el acceso se detuvo después de enviar el token de actualización y antes de guardar la respuesta; el proveedor pudo haberlo invalidado y no se reenvía',
    'a process renewing access stopped after sending the refresh token and before storing the answer; the provider may have retired it, so it is not sent again',
  ],
  endpoints_changed: [
    'los endpoints de la conexión cambiaron y sus tokens no se envían a orígenes distintos de los que los emitieron; autorice contra los endpoints nuevos',
    'the connection’s endpoints changed and its tokens are never sent to origins other than those that issued them; authorize against the new endpoints',
  ],
};

/** `ERR_REAUTHORIZATION_REQUIRED` for `reason` (a key of the table above, or a provider's own word). */
export function reauthorizationError(context: ErrorContext, reason: string): ReauthorizationRequiredError {
  const [es, en] = REASONS[reason] ?? [reason, reason];
  return new ReauthorizationRequiredError(
    reason,
    text(`Se requiere autorizar de nuevo: ${es}.`, `Reauthorization required: ${en}.`),
    context,
  );
}
