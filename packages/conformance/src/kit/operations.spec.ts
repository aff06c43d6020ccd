import type { Connector } from '@aic/connector-core';
import { OperationLog } from './operations.js';
import { Sequence } from './sequence.js';

/** Just enough of a connector to watch calls go through the wrapper. */
function fakeConnector(): Connector {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    manifest: { id: 'fake' },
    validateCredentials(credentials: unknown) {
      if (credentials === 'bad') throw new TypeError('bad credentials');
    },
    getAccessToken: async () => {
      await gate;
      return { accessToken: 't', tokenType: 'Bearer', expiresAt: 1 };
    },
    getStatus: () => Promise.reject(new RangeError('no status')),
    disconnect: () => {
      release();
      return Promise.resolve();
    },
  } as unknown as Connector;
}

describe('OperationLog', () => {
  it('names the calls in flight, and what each returned or threw remembers its call', async () => {
    const sequence = new Sequence();
    const log = new OperationLog(sequence);
    const connector = log.wrap(fakeConnector());
    expect(connector.manifest).toEqual({ id: 'fake' });
    expect(log.activeLabel()).toBeUndefined();

    const a = connector.getAccessToken({ id: 'a', credentials: {} });
    const b = connector.getAccessToken({ id: 'a', credentials: {} });
    const c = connector.getAccessToken({ id: 'b', credentials: {} });
    expect(log.activeLabel()).toBe('2 × getAccessToken(a), getAccessToken(b)');
    sequence.next();
    await connector.disconnect({ id: 'a', credentials: {} });
    const [token] = await Promise.all([a, b, c]);
    expect(log.activeLabel()).toBeUndefined();
    expect(log.originOf(token)).toMatchObject({ label: 'getAccessToken(a)', startSeq: 0, endSeq: 1 });

    const rejected = await connector.getStatus({ id: 'c', credentials: {} }).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(RangeError);
    expect(log.originOf(rejected)?.label).toBe('getStatus(c)');

    let thrown: unknown;
    try {
      connector.validateCredentials('bad');
    } catch (error) {
      thrown = error;
    }
    expect(log.originOf(thrown)?.label).toBe('validateCredentials()');
    expect(log.originOf({})).toBeUndefined();
    expect(log.originOf('text')).toBeUndefined();
  });
});
