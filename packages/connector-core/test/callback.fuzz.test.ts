/**
 * Properties of callback handling (RFC 6749 §4.1.2, §4.1.2.1, §10.12):
 *
 * - `parseCallback` turns ANY input (raw strings, URLs, query strings, parameter records) into a
 *   parsed callback or an `InvalidCallbackError` — never another exception — and agrees with a
 *   simple model of the rules (duplicates refused, `error=` reported, state then code required);
 * - `completeAuthorization` with any callback that does not carry this connection's pending
 *   state fails with a typed error and sends NO token request; the real pending authorization
 *   survives all of it and still completes afterwards.
 */
import fc from 'fast-check';
import nock from 'nock';
import { ErrorCode } from '../src/errors/codes.js';
import { isConnectorError } from '../src/errors/connector-error.js';
import { parseCallback, type CallbackInput } from '../src/oauth/callback.js';
import { AUTH_HOST, harness, startFlow } from '../src/__fixtures__/fixture-provider.js';
import { scanValue } from '../../../test/leak-scan.js';
import { Figures } from './support/figures.js';
import { checkAsyncProperty, checkProperty } from './support/fuzz.js';

const figures = new Figures('callback-fuzz');
const unmatched: string[] = [];
const onNoMatch = (req: Request): void => void unmatched.push(req.url);

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterAll(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.cleanAll();
  nock.enableNetConnect();
  figures.report();
});

const NAMES = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state', 'x'];
const value = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), weight: 3 },
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '%', '%zz', '&', '=', '#', '+', 'access_denied'),
);
const pairs = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 6 });

/** The rules, stated independently of the implementation. */
function model(
  list: readonly (readonly [string, string])[],
): 'invalid' | 'error' | { code: string; state: string; iss: string | undefined } {
  const all = (name: string) => list.filter(([n]) => n === name).map(([, v]) => v);
  if (['code', 'state', 'error', 'error_description', 'error_uri', 'iss'].some((n) => all(n).length > 1))
    return 'invalid';
  if (all('error').length === 1) return 'error';
  const [state] = all('state');
  const [code] = all('code');
  if (state === undefined || state === '' || code === undefined || code === '') return 'invalid';
  return { code, state, iss: all('iss')[0] };
}

/** The same pairs, in each form a host may hand over. */
const inputsOf = (list: readonly (readonly [string, string])[]): CallbackInput[] => {
  const query = new URLSearchParams(list.map(([n, v]): [string, string] => [n, v])).toString();
  const record: Record<string, string | string[]> = {};
  for (const [n, v] of list) {
    const seen = record[n];
    record[n] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  return [
    new URLSearchParams(list.map(([n, v]): [string, string] => [n, v])),
    query,
    `?${query}`,
    `https://aic.test/callback?${query}`,
    new URL(`https://aic.test/callback?${query}`),
    record,
  ];
};

/** Parses, and checks the outcome is one of the typed ones. */
function parseTyped(input: CallbackInput) {
  try {
    return parseCallback(input);
  } catch (error) {
    if (!isConnectorError(error) || error.code !== ErrorCode.InvalidCallback) throw error;
    return error;
  }
}

it('parseCallback: any parameters, in every input form, follow the model', () => {
  checkProperty(
    figures,
    'parseCallback vs model',
    fc.property(pairs, (list) => {
      const expected = model(list);
      for (const input of inputsOf(list)) {
        const outcome = parseTyped(input);
        if (expected === 'invalid') expect(isConnectorError(outcome)).toBe(true);
        else if (expected === 'error')
          expect(outcome).toMatchObject({ kind: 'error', error: { code: ErrorCode.AuthorizationDenied } });
        else expect(outcome).toEqual({ kind: 'code', ...expected });
        if (isConnectorError(outcome)) {
          const codes = list
            .filter(([n, v]) => n === 'code' && v.length >= 12)
            .map(([, v]) => ({ value: v, label: 'code' }));
          expect(scanValue(outcome, codes)).toEqual([]);
        }
      }
    }),
  );
});

it('parseCallback: any raw string is parsed or refused with ERR_INVALID_CALLBACK', () => {
  checkProperty(
    figures,
    'parseCallback raw strings',
    fc.property(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string().map((s) => `https://aic.test/callback?${s}`),
      ),
      (raw) => void parseTyped(raw),
    ),
  );
});

it('completeAuthorization: forged or malformed callbacks fail typed, send nothing, keep the real pending state', async () => {
  const h = harness();
  const { state } = await startFlow(h);
  let tokenRequests = 0;
  nock(AUTH_HOST)
    .persist()
    .post('/token')
    .reply(() => {
      tokenRequests++;
      return [500, ''];
    });
  const forgedState = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).filter((s) => s !== state),
    fc.constantFrom(
      `${state}x`,
      `x${state}`,
      state.slice(1),
      state.toUpperCase() === state ? `${state}A` : state.toUpperCase(),
      ` ${state}`,
    ),
  );
  const callback = fc.oneof(
    fc.record({ code: value, state: forgedState }),
    fc.record({ code: value, state: forgedState, error: value }),
    fc.constant(`code=c&state=${state}&state=${state}`),
    fc.constant(`code=a&code=b&state=${state}`),
    pairs.map(
      (list) =>
        new URLSearchParams(list.filter(([n]) => n !== 'state').map(([n, v]): [string, string] => [n, v])),
    ),
  );
  const allowed = new Set<string>([
    ErrorCode.InvalidCallback,
    ErrorCode.StateMismatch,
    ErrorCode.AuthorizationDenied,
  ]);
  await checkAsyncProperty(
    figures,
    'completeAuthorization with forged callbacks',
    fc.asyncProperty(callback, async (input) => {
      const error: unknown = await h.connector.completeAuthorization(h.connection, input).then(
        () => new Error('a forged callback completed'),
        (e: unknown) => e,
      );
      if (!isConnectorError(error) || !allowed.has(error.code)) throw error;
      figures.add(`outcome: ${error.code}`);
    }),
  );
  expect({ tokenRequests, unmatched }).toEqual({ tokenRequests: 0, unmatched: [] });

  nock.cleanAll();
  const scope = nock(AUTH_HOST)
    .post('/token')
    .reply(200, { access_token: 'AT-1', token_type: 'Bearer', expires_in: 3600 });
  await expect(
    h.connector.completeAuthorization(h.connection, { code: 'the-code', state }),
  ).resolves.toMatchObject({
    connectionId: 'conn-1',
  });
  scope.done();
});
