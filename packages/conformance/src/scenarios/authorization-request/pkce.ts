import { createHash } from 'node:crypto';
import { check, expectResolved, formOf } from '../../kit/expect.js';
import { authorize, callProbe, reachExpiry, scriptProbe, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { pkce } from '../applies.js';
import { rfc } from '../rules.js';

const UNRESERVED_43_128 = /^[A-Za-z0-9\-._~]{43,128}$/;

const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/**
 * The PKCE verifier is 43–128 unreserved characters (RFC 7636 §4.1), fresh per flow, and the
 * challenge in the authorization URL is BASE64URL(SHA256(verifier)) with method S256 (§4.2),
 * checked against the verifier the token request carries.
 */
export const pkceVerifier = defineScenario({
  id: 'authorization-request.pkce-s256',
  title: 'PKCE: 43–128-character verifier, S256 challenge that matches it, fresh per flow',
  family: 'authorization-request',
  rule: rfc(7636, ['4.1', '4.2']),
  appliesTo: pkce,
  async run(ctx) {
    const verifiers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const connection = ctx.connection();
      const { flow, request } = await authorize(ctx, connection);
      const method = flow.url.searchParams.get('code_challenge_method');
      check(method === 'S256', `code_challenge_method is "${method ?? '(absent)'}", not S256`);
      const challenge = flow.url.searchParams.get('code_challenge');
      check(challenge !== null, 'the authorization URL has no code_challenge');
      const verifier = formOf(request).get('code_verifier');
      check(verifier !== null, 'the code exchange carries no code_verifier');
      check(
        UNRESERVED_43_128.test(verifier),
        `the code_verifier has ${verifier.length} characters or characters outside [A-Za-z0-9-._~]; RFC 7636 §4.1 requires 43–128 unreserved characters`,
      );
      check(
        s256(verifier) === challenge,
        'code_challenge is not BASE64URL(SHA256(code_verifier)) of the verifier sent',
      );
      verifiers.push(verifier);
    }
    check(verifiers[0] !== verifiers[1], 'two authorizations used the same code_verifier');
  },
});

/**
 * The verifier proves possession only while it stays secret (RFC 7636 §7.1…§7.2): it travels in
 * the token request body and nowhere else — not in the authorization URL, not in any request URL,
 * not in what startAuthorization returns.
 */
export const verifierNotInUrl = defineScenario({
  id: 'authorization-request.verifier-not-in-url',
  title: 'The PKCE verifier never appears in a URL',
  family: 'authorization-request',
  rule: rfc(7636, ['4.5', '7.2']),
  appliesTo: pkce,
  async run(ctx) {
    const connection = ctx.connection();
    const { flow, request } = await authorize(ctx, connection);
    const verifier = formOf(request).get('code_verifier');
    check(verifier !== null, 'the code exchange carries no code_verifier');
    scriptProbe(ctx).reply(200, {});
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call');
    if (ctx.manifest.capabilities.refreshToken) {
      await reachExpiry(ctx, connection);
      ctx.provider.token().reply(200, tokenBody(ctx));
      await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'a refresh');
    }
    const urls = [flow.start.url, ...ctx.provider.requests.map((r) => r.url.href)];
    const variants = [verifier, encodeURIComponent(verifier)];
    const carrying = urls.filter(
      (url) => variants.some((v) => url.includes(v)) || /[?&]code_verifier=/.test(url),
    );
    check(carrying.length === 0, `the PKCE verifier appears in ${carrying.length} URL(s)`);
    check(
      !JSON.stringify(flow.start).includes(verifier),
      'startAuthorization returns the PKCE verifier to the host',
    );
  },
});
