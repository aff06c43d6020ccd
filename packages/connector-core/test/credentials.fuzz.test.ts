/**
 * Property: for every connector, validating ANY value either accepts it or throws exactly one
 * `InvalidCredentialsError` (`ERR_INVALID_CREDENTIALS`) whose message, localized texts, JSON,
 * `util.inspect` and stack never show a value it was given — secrets above all.
 */
import fc from 'fast-check';
import { ErrorCode } from '../src/errors/codes.js';
import { InvalidCredentialsError } from '../src/errors/errors.js';
import type { CredentialSchema, FieldSchema } from '../src/credentials/schema-types.js';
import { secretPointers } from '../src/credentials/define-schema.js';
import type { ProviderDefinition } from '../src/connector/definition.js';
import { OAuthConnector } from '../src/connector/oauth-connector.js';
import { createDefaultDispatcher } from '../src/http/dispatcher.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../src/stores/memory-stores.js';
import { ManualClock } from '../src/support/clock.js';
import { silentLogger } from '../src/support/logger.js';
import { fixtureDefinition } from '../src/__fixtures__/fixture-provider.js';
import { scanValue } from '../../../test/leak-scan.js';
import { Figures } from './support/figures.js';
import { checkProperty } from './support/fuzz.js';

/** Connector packages fuzzed besides core's fixture: one line per connector. */
const CONNECTOR_PACKAGES = [
  '@aic/provider-hp-techpulse',
  '@aic/provider-abbyy-vantage',
  '@aic/provider-leancore',
];

interface Target {
  readonly id: string;
  readonly schema: CredentialSchema;
  readonly sample: Readonly<Record<string, unknown>>;
  readonly validate: (credentials: unknown) => void;
}

const isDefinition = (value: unknown): value is ProviderDefinition =>
  typeof value === 'object' &&
  value !== null &&
  'credentialSchema' in value &&
  'grant' in value &&
  'sampleCredentials' in value;

function connectorTarget(definition: ProviderDefinition): Target {
  const clock = new ManualClock();
  const connector = new OAuthConnector(definition, {
    tokenStore: new MemoryTokenStore(),
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger: silentLogger,
    dispatcher: createDefaultDispatcher(),
  });
  return {
    id: connector.manifest.id,
    schema: connector.manifest.credentialSchema,
    sample: connector.manifest.sampleCredentials,
    validate: (credentials) => connector.validateCredentials(credentials),
  };
}

/** Core's fixture plus every listed package whose entry point exports `credentialSchema` and a definition. */
async function loadTargets(): Promise<{ targets: Target[]; skipped: string[] }> {
  const targets = [connectorTarget(fixtureDefinition as unknown as ProviderDefinition)];
  const skipped: string[] = [];
  for (const name of CONNECTOR_PACKAGES) {
    const entry = (await import(name)) as Record<string, unknown>;
    const definition = Object.values(entry).find(isDefinition);
    if (entry['credentialSchema'] === undefined || definition === undefined) skipped.push(name);
    else targets.push(connectorTarget(definition));
  }
  return { targets, skipped };
}

const { targets, skipped } = await loadTargets();
const figures = new Figures('credentials-fuzz');
afterAll(() => figures.report({ connectors: targets.map((t) => t.id), skipped }));

/** Every string value inside `value` (not keys). */
function stringsOf(
  value: unknown,
  out: string[] = [],
  keys: string[] = [],
): { values: string[]; keys: string[] } {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out, keys);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      keys.push(key);
      stringsOf(item, out, keys);
    }
  }
  return { values: out, keys };
}

/** Runs validation; returns undefined when accepted, the error otherwise. Fails on any other exception. */
function validationError(target: Target, value: unknown): InvalidCredentialsError | undefined {
  let caught: unknown;
  try {
    target.validate(value);
    return undefined;
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof InvalidCredentialsError) || caught.code !== ErrorCode.InvalidCredentials) {
    throw new Error('expected exactly an InvalidCredentialsError (ERR_INVALID_CREDENTIALS)', {
      cause: caught,
    });
  }
  const malformed = caught.issues.filter(
    (issue) => !/^(\/.*)?$/.test(issue.pointer) || issue.message.es === '' || issue.message.en === '',
  );
  if (caught.issues.length === 0 || malformed.length > 0) {
    throw new Error('an InvalidCredentialsError must list issues, each with a JSON pointer and es/en text');
  }
  return caught;
}

/** Values (≥ 12 chars, not part of a key) an error shows. Keys are names, not values: pointers may carry them. */
function echoedValues(error: InvalidCredentialsError, given: unknown): string[] {
  const { values, keys } = stringsOf(given);
  const candidates = values.filter((v) => v.length >= 12 && !keys.some((k) => k.includes(v)));
  return [
    ...new Set(
      scanValue(
        error,
        candidates.map((value) => ({ value, label: value })),
      ).map((f) => f.label),
    ),
  ];
}

/** Leaf pointers of a schema (`/clientId`, `/endpoints/token`, …). */
function leafPointers(properties: Readonly<Record<string, FieldSchema>>, prefix = ''): string[] {
  return Object.entries(properties).flatMap(([name, field]) =>
    field.type === 'object'
      ? [`${prefix}/${name}`, ...leafPointers(field.properties, `${prefix}/${name}`)]
      : [`${prefix}/${name}`],
  );
}

/** A deep copy of `value` with `pointer` set (or deleted when `replacement` is undefined). */
function withValue(
  value: Readonly<Record<string, unknown>>,
  pointer: string,
  replacement: unknown,
): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  const parts = pointer.split('/').slice(1);
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node[part] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (replacement === undefined) Reflect.deleteProperty(node, last);
  else node[last] = replacement;
  return copy;
}

/** Random secrets long enough to be told apart from any message text. */
const secretText = fc.string({ unit: 'binary', minLength: 12, maxLength: 64 });

it('covers core’s fixture and every connector package that exports a credential schema', () => {
  expect(skipped).toEqual([]);
  expect(targets.map((t) => t.id)).toHaveLength(CONNECTOR_PACKAGES.length + 1);
});

describe.each(targets.map((target) => [target.id, target] as const))('credentials of %s', (id, target) => {
  it('any JSON value: accepted, or one InvalidCredentialsError that echoes no value', () => {
    checkProperty(
      figures,
      `${id}: any JSON value`,
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const error = validationError(target, value);
        if (error !== undefined) expect(echoedValues(error, value)).toEqual([]);
      }),
    );
  });

  it('any JavaScript value (undefined, NaN, -0, null-prototype objects…): accepted or typed error', () => {
    checkProperty(
      figures,
      `${id}: any JavaScript value`,
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true }), (value) => {
        validationError(target, value);
      }),
      0.5,
    );
  });

  it('near-valid: one field mutated, secrets random — issues only at that field, secrets never shown', () => {
    const secrets = secretPointers(target.schema).filter((p) => p.split('/').length === 2);
    const pointers = [...leafPointers(target.schema.properties), '/unexpectedField'];
    const mutation = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        'http://example.com/x',
        'https://user:pw@example.com',
        '2026-02-30',
        'not-a-date',
      ),
    );
    checkProperty(
      figures,
      `${id}: near-valid mutation`,
      fc.property(
        fc.array(secretText, { minLength: secrets.length, maxLength: secrets.length }),
        fc.constantFrom(...pointers),
        mutation,
        (secretValues, pointer, replacement) => {
          let credentials: Record<string, unknown> = { ...target.sample };
          secrets.forEach((secret, i) => (credentials = withValue(credentials, secret, secretValues[i])));
          expect(validationError(target, credentials)).toBeUndefined();
          const mutated = withValue(credentials, pointer, replacement);
          const error = validationError(target, mutated);
          if (error === undefined) return;
          const shown = scanValue(
            error,
            secretValues.map((value) => ({ value, label: 'random secret' })),
          );
          expect(shown).toEqual([]);
          expect(echoedValues(error, mutated)).toEqual([]);
          for (const issue of error.issues) {
            const related = issue.pointer.startsWith(pointer) || pointer.startsWith(`${issue.pointer}/`);
            expect({ pointer, issue: issue.pointer, related }).toEqual({
              pointer,
              issue: issue.pointer,
              related: true,
            });
          }
        },
      ),
    );
  });
});
