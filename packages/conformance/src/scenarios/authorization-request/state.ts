import { check, describeRequests } from '../../kit/expect.js';
import { startFlow } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

const FLOWS = 16;

/** Bits per character of the alphabet a set of states is drawn from. */
function bitsPerCharacter(states: readonly string[]): number {
  const joined = states.join('');
  if (/^[0-9a-fA-F]+$/.test(joined)) return 4;
  if (/^[A-Za-z0-9_-]+$/.test(joined) || /^[A-Za-z0-9+/]+=*$/.test(joined)) return 6;
  return Math.log2(new Set(joined).size);
}

/** Strips what every state shares at its start and end (a counter, a timestamp, a prefix). */
function varyingParts(states: readonly string[]): string[] {
  const first = states[0] ?? '';
  let prefix = 0;
  while (prefix < first.length && states.every((s) => s[prefix] === first[prefix])) prefix++;
  let suffix = 0;
  while (
    suffix < first.length - prefix &&
    states.every(
      (s) => s.length - suffix - 1 >= prefix && s[s.length - suffix - 1] === first[first.length - suffix - 1],
    )
  ) {
    suffix++;
  }
  return states.map((s) => s.slice(prefix, s.length - suffix).replace(/=+$/, ''));
}

/**
 * `state` must be unguessable (RFC 6749 §10.10: at most 2^-128 chance to guess; §10.12 CSRF) and
 * fresh for every flow. The kit starts 16 authorizations and estimates the entropy of what
 * varies between their states.
 */
export const stateEntropy = defineScenario({
  id: 'authorization-request.state-entropy',
  title: 'state carries at least 128 bits and is unique per flow',
  family: 'authorization-request',
  rule: rfc(6749, ['10.10', '10.12']),
  appliesTo: authorizationCode,
  async run(ctx) {
    const connection = ctx.connection();
    const states: string[] = [];
    for (let i = 0; i < FLOWS; i++) {
      const flow = await startFlow(ctx, connection);
      const inUrl = flow.url.searchParams.getAll('state');
      check(inUrl.length === 1, `the authorization URL carries state ${inUrl.length} times`);
      check(
        inUrl[0] === flow.state,
        'the state in the URL differs from the state startAuthorization returned',
      );
      states.push(flow.state);
    }
    check(
      new Set(states).size === FLOWS,
      `${FLOWS} authorizations produced only ${new Set(states).size} distinct states`,
    );
    const perChar = bitsPerCharacter(states);
    const weakest = Math.min(...varyingParts(states).map((part) => part.length * perChar));
    check(
      weakest >= 128,
      `the varying part of state carries about ${Math.floor(weakest)} bits (${perChar.toFixed(1)} bits per character); at least 128 are required`,
    );
    check(
      ctx.provider.requests.length === 0,
      'starting an authorization made network calls',
      describeRequests(ctx.provider.requests),
    );
  },
});
