import nock from 'nock';
import { OAuthConnector } from '@aic/connector-core';
import { interceptors } from 'undici';
import { expiredCode } from '../scenarios/token-response/grant-errors.js';
import { referenceCode, referenceCodeModule } from '../self-test/reference.js';
import { check, expectResolved, fail } from '../kit/expect.js';
import { authorize, reachExpiry } from '../kit/flows.js';
import { defineScenario, type Scenario } from '../scenario.js';
import { loadTarget, type LoadedTarget } from '../target.js';
import { applicability, runScenario } from './run-scenario.js';

const scenario = (run: Scenario['run'], appliesTo: Scenario['appliesTo'] = () => true): Scenario =>
  defineScenario({
    id: 'kit.sample',
    title: 'A sample scenario',
    family: 'contract',
    rule: { source: 'RFC 6749 §1' },
    appliesTo,
    run,
  });

describe('runScenario', () => {
  let target: LoadedTarget;
  const run = (s: Scenario, timeoutMs?: number) =>
    runScenario(target, target.manifests[0]!, s, { timeoutMs });

  beforeAll(async () => {
    target = await loadTarget(referenceCodeModule);
  });
  afterAll(() => nock.enableNetConnect());

  it('passes a scenario whose expectations hold and whose script was followed, keeping its notes', async () => {
    const result = await run(
      scenario(async (ctx) => {
        await authorize(ctx, ctx.connection());
        ctx.note('authorized once');
      }),
    );
    expect(result).toMatchObject({
      scenarioId: 'kit.sample',
      status: 'pass',
      details: [],
      notes: ['authorized once'],
    });
    expect(result.reason).toBeUndefined();
    expect(typeof result.durationMs).toBe('number');
  });

  it('skips without running when the scenario does not apply', async () => {
    let ran = false;
    const body = (): Promise<void> => {
      ran = true;
      return Promise.resolve();
    };
    const result = await run(scenario(body, () => 'not for this connector'));
    expect(result).toMatchObject({ status: 'skip', reason: 'not for this connector' });
    expect(ran).toBe(false);
    expect(
      applicability(
        target,
        target.manifests[0]!,
        scenario(body, () => 'nope'),
      ),
    ).toBe('nope');
  });

  it('fails with the assertion, redacting every secret the scenario knew and any Authorization value', async () => {
    const result = await run(
      scenario((ctx) => {
        const connection = ctx.connection();
        const secret = String((connection.credentials as Record<string, string>)['clientSecret']);
        return Promise.resolve(
          fail(`saw ${secret} and Bearer abc.def-123456`, [`detail ${encodeURIComponent(secret)}`]),
        );
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('saw [REDACTED] and Bearer [REDACTED]');
    expect(result.details).toEqual(['detail [REDACTED]']);
  });

  it('fails a scenario that passed its own checks but made an unscripted call', async () => {
    const result = await run(
      scenario(async (ctx) => {
        const connection = ctx.connection();
        await authorize(ctx, connection);
        await reachExpiry(ctx, connection);
        await ctx.connector.getAccessToken(connection).catch(() => undefined);
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      'a refresh the scenario did not script: POST https://token.conformance.test/oauth2/token',
    );
  });

  it('fails a scenario whose scripted call was never made', async () => {
    const result = await run(
      scenario((ctx) => {
        ctx.provider.token().reply(200, {});
        return Promise.resolve();
      }),
    );
    expect(result).toMatchObject({
      status: 'fail',
      reason: 'a scripted call was never made: POST https://token.conformance.test:443/oauth2/token',
    });
  });

  it('fails a scenario that hangs, and one that throws something else', async () => {
    const hung = await run(
      scenario(() => new Promise<void>(() => undefined)),
      50,
    );
    expect(hung.reason).toMatch(/^the scenario did not finish within 50 ms/);
    const thrown = await run(scenario(() => Promise.reject(new TypeError('boom'))));
    expect(thrown.reason).toBe('unexpected error: TypeError: boom');
  });

  it('gives every scenario a fresh container: nothing stored by one is seen by the next', async () => {
    await run(scenario(async (ctx) => void (await authorize(ctx, ctx.connection({ id: 'shared' })))));
    const result = await run(
      scenario(async (ctx) => {
        check(ctx.store.size === 0, 'the store is not empty');
        const status = await expectResolved(
          ctx,
          ctx.connector.getStatus(ctx.connection({ id: 'shared' })),
          'getStatus',
        );
        check(status.state === 'not_authorized', `state ${status.state}`);
      }),
    );
    expect(result.status).toBe('pass');
  });

  it('leads with the broken rule, not its symptom: a code exchange retried after invalid_grant', async () => {
    // A connector whose HTTP client retries a 400 (undici's retry interceptor told to).
    const retrying = await loadTarget(
      (ports) =>
        new OAuthConnector(referenceCode, {
          ...ports,
          dispatcher: ports.dispatcher.compose(
            interceptors.retry({ statusCodes: [400], methods: ['POST'], maxRetries: 1, minTimeout: 1 }),
          ),
        }),
    );
    const result = await runScenario(retrying, retrying.manifests[0]!, expiredCode);
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /^the code exchange was retried after invalid_grant: POST https:\/\/token\.conformance\.test\/oauth2\/token — then: /,
    );
  });

  it('fails any scenario in which the connector printed a secret, naming the call and the answer before it', async () => {
    const result = await run(
      scenario(async (ctx) => {
        const connection = ctx.connection();
        await authorize(ctx, connection);
        const token = await ctx.connector.getAccessToken(connection);
        process.stdout.write(`debug: ${token.accessToken}\n`);
      }),
    );
    expect(result).toMatchObject({
      status: 'fail',
      reason:
        'the access token was written to process.stdout outside any connector call, after the token endpoint answered 200 with tokens',
    });
  });
});
