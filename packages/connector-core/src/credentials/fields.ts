import { text, type LocalizedText } from '../errors/localized.js';
import type { EnumOption, FieldAnnotations, FieldSchema } from './schema-types.js';

/** Spanish first: plain `title`/`description` in Spanish, both languages in `x-title`/`x-description`. */
const annotate = (title: LocalizedText, description: LocalizedText, secret = false): FieldAnnotations => ({
  title: title.es,
  description: description.es,
  'x-title': title,
  'x-description': description,
  ...(secret ? { 'x-secret': true as const, writeOnly: true as const } : {}),
});

/** Annotations for a field a provider adds itself. */
export const field = annotate;

/**
 * The allowed values of a string field with a label each, in Spanish and English: `enum` (what
 * ajv checks and `CredentialsOf` derives the type from) and `oneOf` of `{ const, title, x-title }`
 * (how JSON Schema labels values, what forms show). Values keep the order of `labels`.
 *
 * ```ts
 * environment: {
 *   type: 'string',
 *   ...labelledEnum({ production: text('Producción', 'Production'), sandbox: text('Pruebas', 'Sandbox') }),
 *   default: 'production',
 *   ...field(text('Entorno', 'Environment'), text('…', '…')),
 * }
 * ```
 */
export function labelledEnum<const L extends Readonly<Record<string, LocalizedText>>>(
  labels: L,
): { readonly enum: readonly (keyof L & string)[]; readonly oneOf: readonly EnumOption<keyof L & string>[] } {
  const values = Object.keys(labels) as (keyof L & string)[];
  if (values.length === 0) throw new TypeError('labelledEnum: at least one value is needed');
  return {
    enum: values,
    oneOf: values.map((value) => ({ const: value, title: labels[value]!.es, 'x-title': labels[value]! })),
  };
}

/** `baseFields.region` with labelled regions (preferred) or bare region codes. */
function region<const L extends Readonly<Record<string, LocalizedText>>>(
  labels: L,
  defaultRegion: keyof L & string,
): RegionField<keyof L & string> & { readonly oneOf: readonly EnumOption<keyof L & string>[] };
function region<const R extends readonly [string, ...string[]]>(
  regions: R,
  defaultRegion: R[number],
): RegionField<R[number]>;
function region(
  regions: readonly string[] | Readonly<Record<string, LocalizedText>>,
  defaultRegion: string,
): RegionField<string> {
  const labelled = Array.isArray(regions)
    ? undefined
    : labelledEnum(regions as Record<string, LocalizedText>);
  const values: readonly string[] = labelled?.enum ?? (regions as readonly string[]);
  const listed = (lang: 'es' | 'en'): string =>
    values
      .map((value) => (labelled === undefined ? value : `${value} (${regions[value as never][lang]})`))
      .join(', ');
  return {
    type: 'string',
    ...(labelled ?? { enum: values }),
    default: defaultRegion,
    ...annotate(
      text('Región', 'Region'),
      text(
        `Región del proveedor: ${listed('es')}. Todos los endpoints de la conexión usan el host de esta región.`,
        `Provider region: ${listed('en')}. Every endpoint of the connection uses this region's host.`,
      ),
    ),
  };
}

type RegionField<V extends string> = FieldAnnotations & {
  readonly type: 'string';
  readonly enum: readonly V[];
  readonly default: V;
};

/**
 * The base credential fields every connector's schema is built from (the shared credential
 * contract). A connector picks the ones its grant needs and adds its own; see
 * `defineCredentialSchema`.
 */
export const baseFields = {
  clientId: (label?: { title: LocalizedText; description: LocalizedText }) =>
    ({
      type: 'string',
      minLength: 1,
      maxLength: 512,
      ...annotate(
        label?.title ?? text('ID de cliente', 'Client ID'),
        label?.description ??
          text(
            'Identificador de la aplicación registrada en el proveedor.',
            'Identifier of the application registered with the provider.',
          ),
      ),
    }) as const,

  clientSecret: (label?: { title: LocalizedText; description: LocalizedText }) =>
    ({
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      ...annotate(
        label?.title ?? text('Secreto de cliente', 'Client secret'),
        label?.description ??
          text(
            'Secreto de la aplicación registrada en el proveedor. Nunca se muestra ni se registra.',
            'Secret of the application registered with the provider. Never shown or logged.',
          ),
        true,
      ),
    }) as const,

  redirectUri: () =>
    ({
      type: 'string',
      format: 'uri',
      maxLength: 2048,
      'x-secure-url': true,
      ...annotate(
        text('URI de redirección', 'Redirect URI'),
        text(
          'URI absoluta registrada en el proveedor a la que vuelve el navegador tras autorizar; https, o http solo en loopback (127.0.0.1, localhost, [::1]).',
          'Absolute URI registered with the provider that the browser returns to after authorizing; https, or http on loopback only (127.0.0.1, localhost, [::1]).',
        ),
      ),
    }) as const,

  /**
   * The provider region. Give each region its label in both languages (`{ us: text('Estados
   * Unidos', 'United States'), … }`): forms then show the labels (`oneOf`). Bare codes
   * (`['us', 'eu']`) are still accepted, without labels.
   */
  region,

  /** Per-connection endpoint overrides (sandbox hosts, proxies, tests). */
  endpoints: <const K extends readonly string[]>(keys: K) =>
    ({
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        keys.map((key) => [
          key,
          {
            type: 'string',
            format: 'uri',
            maxLength: 2048,
            'x-secure-url': true,
            ...annotate(
              text(`Endpoint «${key}»`, `“${key}” endpoint`),
              text(
                `Reemplaza el endpoint «${key}» de la región (https; http solo en loopback).`,
                `Overrides the region's “${key}” endpoint (https; http on loopback only).`,
              ),
            ),
          } satisfies FieldSchema,
        ]),
      ) as { readonly [P in K[number]]: FieldSchema & { readonly type: 'string' } },
      ...annotate(
        text('Endpoints personalizados', 'Endpoint overrides'),
        text(
          'Opcional: reemplaza los endpoints de la región (hosts de pruebas, proxies).',
          'Optional: overrides the region endpoints (sandbox hosts, proxies).',
        ),
      ),
    }) as const,

  clientSecretCreatedAt: () =>
    ({
      type: 'string',
      format: 'date',
      ...annotate(
        text('Fecha de creación del secreto', 'Client secret creation date'),
        text(
          'Fecha (AAAA-MM-DD) en que se creó el secreto de cliente; sirve para avisar antes de que venza.',
          'Date (YYYY-MM-DD) the client secret was created; used to warn before it expires.',
        ),
      ),
    }) as const,

  clientSecretExpiresAt: () =>
    ({
      type: 'string',
      format: 'date',
      ...annotate(
        text('Fecha de vencimiento del secreto', 'Client secret expiry date'),
        text(
          'Fecha (AAAA-MM-DD) en que vence el secreto de cliente, si el proveedor la indica.',
          'Date (YYYY-MM-DD) the client secret expires, when the provider states it.',
        ),
      ),
    }) as const,

  /** A refresh token obtained outside the connector (e.g. the old manual Postman procedure). */
  refreshToken: () =>
    ({
      type: 'string',
      minLength: 1,
      maxLength: 8192,
      ...annotate(
        text('Token de actualización (importado)', 'Refresh token (imported)'),
        text(
          'Opcional: un token de actualización obtenido antes a mano; se usa solo si la conexión aún no tiene tokens.',
          'Optional: a refresh token obtained earlier by hand; used only while the connection has no tokens yet.',
        ),
        true,
      ),
    }) as const,
} as const;
