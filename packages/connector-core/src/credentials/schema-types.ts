import type { LocalizedText } from '../errors/localized.js';

/**
 * Annotations every credential field carries: labels for forms. `title` and `description` are
 * plain JSON Schema in one language (Spanish in the TypeScript schema and in
 * `credentials.schema.json`, English in `credentials.schema.en.json`), for generic form
 * renderers; `x-title` / `x-description` hold both languages for hosts that switch at run time.
 */
export interface FieldAnnotations {
  readonly title: string;
  readonly description: string;
  readonly 'x-title': LocalizedText;
  readonly 'x-description': LocalizedText;
  /** Marks a secret: forms mask it, logs and errors never show it. */
  readonly 'x-secret'?: true;
  readonly writeOnly?: true;
}

/**
 * One allowed value of an enumerated field with its label, the standard JSON Schema way
 * (`oneOf` of `const` + `title`), plus the label in both languages.
 */
export interface EnumOption<V extends string = string> {
  readonly const: V;
  readonly title: string;
  readonly 'x-title': LocalizedText;
}

/** The subset of JSON Schema (draft 2020-12) a credential field may use. */
export type FieldSchema =
  | (FieldAnnotations & {
      readonly type: 'string';
      readonly enum?: readonly string[];
      /** Labels of the `enum` values, one option per value, in the same order. */
      readonly oneOf?: readonly EnumOption[];
      readonly default?: string;
      readonly format?: 'uri' | 'date' | 'date-time';
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly pattern?: string;
      /** Only `https` URLs, or `http` on a loopback host. */
      readonly 'x-secure-url'?: true;
    })
  | (FieldAnnotations & {
      readonly type: 'integer' | 'number';
      readonly minimum?: number;
      readonly maximum?: number;
      readonly default?: number;
    })
  | (FieldAnnotations & { readonly type: 'boolean'; readonly default?: boolean })
  | (FieldAnnotations & {
      readonly type: 'object';
      readonly properties: Readonly<Record<string, FieldSchema>>;
      readonly required?: readonly string[];
      readonly additionalProperties: false;
    });

/** A connector's credential schema: a closed object of annotated fields. */
export interface CredentialSchema {
  readonly $schema: 'https://json-schema.org/draft/2020-12/schema';
  readonly $id: string;
  readonly title: string;
  readonly description: string;
  readonly 'x-title': LocalizedText;
  readonly 'x-description': LocalizedText;
  readonly type: 'object';
  readonly properties: Readonly<Record<string, FieldSchema>>;
  readonly required: readonly string[];
  readonly additionalProperties: false;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FromField<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly type: 'string' }
    ? string
    : S extends { readonly type: 'integer' | 'number' }
      ? number
      : S extends { readonly type: 'boolean' }
        ? boolean
        : S extends { readonly type: 'object'; readonly properties: infer P }
          ? FromObject<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
          : unknown;

type FromObject<P, R> = Simplify<
  { readonly [K in keyof P & R]: FromField<P[K]> } & {
    readonly [K in Exclude<keyof P, R>]?: FromField<P[K]>;
  }
>;

/**
 * The TypeScript type of the credentials a schema accepts: the schema is the one source of
 * truth, the type is derived from it.
 */
export type CredentialsOf<S extends CredentialSchema> = FromObject<S['properties'], S['required'][number]>;
