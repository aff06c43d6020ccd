import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { InvalidCredentialsError, type CredentialIssue } from '../errors/errors.js';
import type { ErrorContext } from '../errors/connector-error.js';
import { text, type LocalizedText } from '../errors/localized.js';
import { isSecureEndpoint } from '../oauth/endpoint.js';
import type { CredentialSchema, CredentialsOf, FieldSchema } from './schema-types.js';

let sharedAjv: Ajv2020 | undefined;

/** One Ajv instance for the process, with the formats and the `x-` keywords credential schemas use. */
function ajv(): Ajv2020 {
  if (sharedAjv !== undefined) return sharedAjv;
  const instance = new Ajv2020({ allErrors: true, strict: true, useDefaults: false });
  formats.default(instance, ['uri', 'date', 'date-time']);
  instance.addKeyword({ keyword: 'x-title', schemaType: 'object' });
  instance.addKeyword({ keyword: 'x-description', schemaType: 'object' });
  instance.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
  instance.addKeyword({
    keyword: 'x-secure-url',
    type: 'string',
    schemaType: 'boolean',
    errors: true,
    validate: (enabled: boolean, data: string) => !enabled || !URL.canParse(data) || isSecureEndpoint(data),
  });
  sharedAjv = instance;
  return instance;
}

const compiled = new WeakMap<CredentialSchema, ValidateFunction>();

/** Compiles a schema once per schema object; later calls reuse the compiled function. */
export function compileCredentialSchema(schema: CredentialSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Validates `value` against a connector's credential schema and returns it typed.
 * Throws one {@link InvalidCredentialsError} listing every bad field by JSON pointer, in Spanish
 * and English, without ever echoing a value.
 */
export function validateCredentials<S extends CredentialSchema>(
  schema: S,
  value: unknown,
  context: ErrorContext = {},
): CredentialsOf<S> {
  const validate = compileCredentialSchema(schema);
  const valid = validate(value);
  const issues = [
    ...(valid ? [] : describeIssues(schema, validate.errors ?? [])),
    ...illFormedStrings(schema, value, ''),
  ];
  if (issues.length === 0) return value as CredentialsOf<S>;
  throw new InvalidCredentialsError(issues, context);
}

/**
 * Strings with a lone UTF-16 surrogate cannot be sent as UTF-8: a form body would silently turn
 * them into U+FFFD and the provider would answer `invalid_client`. Reported by pointer instead.
 */
function illFormedStrings(schema: CredentialSchema, value: unknown, pointer: string): CredentialIssue[] {
  if (typeof value === 'string') {
    if (value.isWellFormed()) return [];
    const { es, en } = label(fieldAt(schema, pointer), pointer || '/');
    return [
      {
        pointer,
        message: text(
          `«${es}» contiene un carácter Unicode inválido (sustituto suelto): vuelva a copiar el valor`,
          `“${en}” contains an invalid Unicode character (lone surrogate): copy the value again`,
        ),
      },
    ];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    illFormedStrings(schema, field, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

function fieldAt(schema: CredentialSchema, pointer: string): FieldSchema | undefined {
  let properties: Readonly<Record<string, FieldSchema>> | undefined = schema.properties;
  let current: FieldSchema | undefined;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    current = properties?.[key];
    properties = current?.type === 'object' ? current.properties : undefined;
  }
  return current;
}

const label = (field: FieldSchema | undefined, pointer: string): LocalizedText =>
  field?.['x-title'] ?? text(pointer, pointer);

function describe(schema: CredentialSchema, error: ErrorObject): CredentialIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const name = String(params['missingProperty']);
    const pointer = `${error.instancePath}/${name}`;
    const { es, en } = label(fieldAt(schema, pointer), pointer);
    return {
      pointer,
      message: text(`falta «${es}» (obligatorio)`, `“${en}” is required`),
    };
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(params['additionalProperty']);
    const pointer = `${error.instancePath}/${name}`;
    return {
      pointer,
      message: text(
        'campo desconocido: quítelo o revise su nombre',
        'unknown field: remove it or check its name',
      ),
    };
  }
  const pointer = error.instancePath;
  const field = fieldAt(schema, pointer);
  const { es, en } = label(field, pointer || '/');
  switch (error.keyword) {
    case 'type':
      return {
        pointer,
        message: text(
          `«${es}» debe ser de tipo ${String(params['type'])}`,
          `“${en}” must be of type ${String(params['type'])}`,
        ),
      };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String).join(', ');
      return {
        pointer,
        message: text(`«${es}» debe ser uno de: ${allowed}`, `“${en}” must be one of: ${allowed}`),
      };
    }
    case 'minLength':
      return {
        pointer,
        message: text(`«${es}» no puede estar vacío`, `“${en}” must not be empty`),
      };
    case 'maxLength':
      return {
        pointer,
        message: text(
          `«${es}» supera ${String(params['limit'])} caracteres`,
          `“${en}” is longer than ${String(params['limit'])} characters`,
        ),
      };
    case 'format':
      return {
        pointer,
        message:
          params['format'] === 'date'
            ? text(`«${es}» debe ser una fecha AAAA-MM-DD`, `“${en}” must be a date YYYY-MM-DD`)
            : text(`«${es}» debe ser una URL absoluta`, `“${en}” must be an absolute URL`),
      };
    case 'x-secure-url':
      return {
        pointer,
        message: text(
          `«${es}» debe usar https (http solo para 127.0.0.1, localhost o [::1])`,
          `“${en}” must use https (http only for 127.0.0.1, localhost or [::1])`,
        ),
      };
    case 'pattern':
      return {
        pointer,
        message: text(`«${es}» no tiene el formato esperado`, `“${en}” has an unexpected format`),
      };
    default:
      return {
        pointer,
        message: text(`«${es}» no es válido (${error.keyword})`, `“${en}” is invalid (${error.keyword})`),
      };
  }
}

/**
 * A value outside a labelled enum fails both `enum` and the `oneOf` that labels the values: the
 * `enum` issue (which lists the allowed values) says it all.
 */
function isEnumLabelError(schema: CredentialSchema, error: ErrorObject): boolean {
  if (error.keyword !== 'oneOf' && !error.schemaPath.includes('/oneOf/')) return false;
  const field = fieldAt(schema, error.instancePath);
  return field !== undefined && 'enum' in field && field.enum !== undefined;
}

function describeIssues(schema: CredentialSchema, errors: readonly ErrorObject[]): CredentialIssue[] {
  const seen = new Set<string>();
  const issues: CredentialIssue[] = [];
  for (const error of errors) {
    if (isEnumLabelError(schema, error)) continue;
    const issue = describe(schema, error);
    const key = `${issue.pointer}\u0000${issue.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
