import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { abortedError } from '../support/abort.js';
import { Deadline, withDeadline } from './deadline.js';

const WHAT = text('La prueba', 'The test');
const context = { connectorId: 'acme', connectionId: 'c-1' };

/** A call that ends only when its signal aborts, the way `sendHttp` does. */
const hanging = (deadline: Deadline): Promise<never> =>
  new Promise((_, reject) => {
    deadline.signal.addEventListener('abort', () => reject(abortedError(context, deadline.signal.reason)), {
      once: true,
    });
  });

describe('withDeadline', () => {
  it('ends a call that outlives its deadline with ERR_TIMEOUT naming what timed out', async () => {
    const started = performance.now();
    const error = await withDeadline(80, undefined, WHAT, context, hanging).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({
      code: ErrorCode.Timeout,
      deadlineMs: 80,
      connectorId: 'acme',
      connectionId: 'c-1',
      message:
        'The test did not finish within 0.1 s (total deadline, retries included): the provider is answering too slowly; try again later.',
    });
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('keeps a cancellation by the caller as ERR_ABORTED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(withDeadline(5_000, controller.signal, WHAT, context, hanging)).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });

  it('passes results and unrelated errors through, and stops its timer', async () => {
    await expect(withDeadline(50, undefined, WHAT, context, () => Promise.resolve('ok'))).resolves.toBe('ok');
    const refused = new ConnectorError(ErrorCode.OAuthError, text('no', 'no'));
    await expect(withDeadline(50, undefined, WHAT, context, () => Promise.reject(refused))).rejects.toBe(
      refused,
    );
    let seen: Deadline | undefined;
    await withDeadline(30, undefined, WHAT, context, (deadline) => {
      seen = deadline;
      return Promise.resolve();
    });
    await sleep(60);
    expect(seen?.signal.aborted).toBe(false);
    expect(seen?.expired).toBe(false);
  });

  it('aborts at once for a caller signal already aborted, and reports the time left', () => {
    const deadline = new Deadline(1_000, AbortSignal.abort());
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(false);
    expect(deadline.remainingMs()).toBeGreaterThan(900);
    deadline.dispose();
  });
});
