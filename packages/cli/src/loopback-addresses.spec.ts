import { isLoopbackAddress, listenAddresses } from './loopback-addresses.js';

const resolver =
  (...addresses: string[]) =>
  () =>
    Promise.resolve(addresses);

describe('listenAddresses', () => {
  it('localhost: 127.0.0.1 and ::1 (optional), whatever the system resolver says', async () => {
    expect(await listenAddresses('localhost', 8765, resolver('127.0.0.1'))).toEqual([
      { host: '127.0.0.1', label: '127.0.0.1:8765', optional: false },
      { host: '::1', label: '[::1]:8765', optional: true },
    ]);
    expect(await listenAddresses('localhost', 8765, resolver())).toHaveLength(2);
  });

  it('localhost: adds other loopback answers of the resolver, never a non-loopback one', async () => {
    const addresses = await listenAddresses(
      'localhost',
      80,
      resolver('::1', '127.0.1.1', '0:0:0:0:0:0:0:1', '192.168.1.9', 'fe80::1', '127.0.0.1'),
    );
    expect(addresses.map((a) => [a.label, a.optional])).toEqual([
      ['127.0.0.1:80', false],
      ['[::1]:80', true],
      ['127.0.1.1:80', false],
    ]);
  });

  it('an IP literal is that address alone, and required', async () => {
    const never = () => Promise.reject(new Error('the resolver is not asked for a literal'));
    expect(await listenAddresses('127.0.0.1', 1, never)).toEqual([
      { host: '127.0.0.1', label: '127.0.0.1:1', optional: false },
    ]);
    expect(await listenAddresses('[::1]', 2, never)).toEqual([
      { host: '::1', label: '[::1]:2', optional: false },
    ]);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['localhost', false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
