import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  PLAIN_BASIC,
  expectTokenRequest,
  guardNetwork,
  leanCoreHarness,
  tokenBody,
} from './__fixtures__/leancore-harness.js';
import { leanCoreDefinitionWith } from './configure.js';
import { manifest } from './index.js';
import { createLeanCoreModule } from './module.js';

guardNetwork();

const CLIENT_CREDENTIALS = 'grant_type=client_credentials';

/*
 * Every expected header below is a literal computed outside the code under test, e.g.
 * `printf '%s' 'usuario %+ñ:s3cr3t' | base64`. The RFC 6749 pairs were form-urlencoded by hand
 * (Appendix B: space → "+", every other byte outside [A-Za-z0-9] → %XX of its UTF-8 bytes).
 */
const cases = [
  {
    name: "LeanCore's own example (username / password)",
    username: 'username',
    password: 'password',
    plain: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=', // the literal in LeanCore's document
    rfc6749: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=', // alphanumerics: both encodings agree
  },
  {
    name: 'a password with ":", "%", "+", spaces and non-ASCII',
    username: 'aic-cliente',
    password: 'Lc:pw %25 a+b ñ€ 0123456789',
    // aic-cliente:Lc:pw %25 a+b ñ€ 0123456789
    plain: PLAIN_BASIC,
    // aic%2Dcliente:Lc%3Apw+%2525+a%2Bb+%C3%B1%E2%82%AC+0123456789
    rfc6749: 'Basic YWljJTJEY2xpZW50ZTpMYyUzQXB3KyUyNTI1K2ElMkJiKyVDMyVCMSVFMiU4MiVBQyswMTIzNDU2Nzg5',
  },
  {
    name: 'a username with "%", "+", a space and non-ASCII',
    username: 'usuario %+ñ',
    password: 's3cr3t',
    plain: 'Basic dXN1YXJpbyAlK8OxOnMzY3IzdA==', // usuario %+ñ:s3cr3t
    rfc6749: 'Basic dXN1YXJpbyslMjUlMkIlQzMlQjE6czNjcjN0', // usuario+%25%2B%C3%B1:s3cr3t
  },
  {
    name: 'non-Latin-1 characters on both sides',
    username: 'cliente€',
    password: 'clave漢字',
    plain: 'Basic Y2xpZW50ZeKCrDpjbGF2Zea8ouWtlw==', // cliente€:clave漢字
    rfc6749: 'Basic Y2xpZW50ZSVFMiU4MiVBQzpjbGF2ZSVFNiVCQyVBMiVFNSVBRCU5Nw==', // cliente%E2%82%AC:clave%E6%BC%A2%E5%AD%97
  },
] as const;

describe('LeanCore token request (client credentials, HTTP Basic)', () => {
  it.each(cases)('plain (default): $name', async ({ username, password, plain }) => {
    const h = leanCoreHarness();
    const scope = expectTokenRequest(
      { body: CLIENT_CREDENTIALS, authorization: plain },
      200,
      tokenBody('AT-plain'),
    );
    const token = await h.connector.getAccessToken(h.connection({ username, password }));
    scope.done();
    expect(token).toEqual({
      accessToken: 'AT-plain',
      tokenType: 'Bearer',
      expiresAt: h.clock.now() + 3600_000,
    });
  });

  it.each(cases)('rfc6749 (opt-in): $name', async ({ username, password, rfc6749 }) => {
    const h = leanCoreHarness(createLeanCoreModule({ basicEncoding: 'rfc6749' }));
    const scope = expectTokenRequest(
      { body: CLIENT_CREDENTIALS, authorization: rfc6749 },
      200,
      tokenBody('AT-rfc'),
    );
    const token = await h.connector.getAccessToken(h.connection({ username, password }));
    scope.done();
    expect(token.accessToken).toBe('AT-rfc');
  });

  it('sends nothing but grant_type in the body: no client_id, client_secret or scope', async () => {
    const h = leanCoreHarness();
    const raw: { body: string; authorization: string | null; contentType: string | null }[] = [];
    const scope = nock('https://auth.leancore.co')
      .post('/oauth2/token')
      .reply(async (request: Request) => {
        raw.push({
          body: await request.text(),
          authorization: request.headers.get('authorization'),
          contentType: request.headers.get('content-type'),
        });
        return [200, tokenBody('AT-1')];
      });
    await h.connector.getAccessToken(h.connection());
    scope.done();
    expect(raw).toEqual([
      {
        body: 'grant_type=client_credentials',
        authorization: PLAIN_BASIC,
        contentType: 'application/x-www-form-urlencoded',
      },
    ]);
  });

  it('plain mode refuses a username containing ":" before any network call', async () => {
    const h = leanCoreHarness();
    const connection = h.connection({ username: 'leancore:id', password: 'pw' });
    const error: unknown = await h.connector.getAccessToken(connection).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.InvalidCredentials });
    expect((error as Error).message).toContain('“:”');
    const verdict = await h.connector.validateConnection(connection);
    expect(verdict).toMatchObject({
      ok: false,
      outcome: 'bad_credentials',
      errorCode: ErrorCode.InvalidCredentials,
    });
    expect(verdict.message.es).toContain('«:»');
  });

  it('rfc6749 mode can carry a username containing ":" (escaped as %3A)', async () => {
    const h = leanCoreHarness(createLeanCoreModule({ basicEncoding: 'rfc6749' }));
    // leancore%3Aid:pw
    const scope = expectTokenRequest(
      { body: CLIENT_CREDENTIALS, authorization: 'Basic bGVhbmNvcmUlM0FpZDpwdw==' },
      200,
      tokenBody('AT-colon'),
    );
    const token = await h.connector.getAccessToken(h.connection({ username: 'leancore:id', password: 'pw' }));
    scope.done();
    expect(token.accessToken).toBe('AT-colon');
  });

  it('declares the chosen encoding in the manifest', () => {
    expect(manifest.clientAuthentication).toEqual({
      clientCredentials: { method: 'client_secret_basic', encoding: 'plain' },
      refresh: { method: 'client_secret_basic', encoding: 'plain' },
    });
    const rfc = leanCoreHarness(createLeanCoreModule({ basicEncoding: 'rfc6749' }));
    expect(rfc.connector.manifest.clientAuthentication).toEqual({
      clientCredentials: { method: 'client_secret_basic', encoding: 'rfc6749' },
      refresh: { method: 'client_secret_basic', encoding: 'rfc6749' },
    });
  });

  it('refuses an unknown encoding at configuration time', () => {
    expect(() => leanCoreDefinitionWith({ basicEncoding: 'latin1' as 'plain' })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
    expect(leanCoreDefinitionWith({ basicEncoding: 'plain' }).grant).toBe(leanCoreDefinitionWith().grant);
  });
});
