import { defaultExpiryPolicy, lifetimeMs, refreshDueAt, type ExpiryPolicy } from './expiry-policy.js';

const seconds: ExpiryPolicy = {
  expiresInUnit: 'seconds',
  defaultLifetimeSeconds: 3600,
  refreshMarginSeconds: 300,
};

describe('expiry policy', () => {
  it('reads expires_in in seconds by default (RFC 6749 §5.1)', () => {
    expect(defaultExpiryPolicy).toEqual({
      expiresInUnit: 'seconds',
      defaultLifetimeSeconds: 3600,
      refreshMarginSeconds: 60,
    });
    expect(lifetimeMs(3600, defaultExpiryPolicy)).toBe(3_600_000);
    expect(lifetimeMs(0.5, defaultExpiryPolicy)).toBe(500);
  });

  it('reads milliseconds when the provider sends them (HP: 1799999 = 30 min)', () => {
    expect(lifetimeMs(1_799_999, { ...seconds, expiresInUnit: 'milliseconds' })).toBe(1_799_999);
  });

  it('caps the lifetime whatever the provider says', () => {
    expect(lifetimeMs(1_799_999, { ...seconds, maxLifetimeSeconds: 1800 })).toBe(1_800_000);
    expect(lifetimeMs(60, { ...seconds, maxLifetimeSeconds: 1800 })).toBe(60_000);
    expect(
      lifetimeMs(undefined, { ...seconds, defaultLifetimeSeconds: 7200, maxLifetimeSeconds: 1800 }),
    ).toBe(1_800_000);
  });

  it('assumes the default lifetime when expires_in is absent', () => {
    expect(lifetimeMs(undefined, seconds)).toBe(3_600_000);
  });

  it('refreshes at expiry minus the margin, the margin at most half the lifetime', () => {
    expect(refreshDueAt({ issuedAt: 0, expiresAt: 3_600_000 }, seconds)).toBe(3_300_000);
    expect(refreshDueAt({ issuedAt: 0, expiresAt: 120_000 }, seconds)).toBe(60_000);
    expect(refreshDueAt({ issuedAt: 1000, expiresAt: 1000 }, seconds)).toBe(1000);
    expect(refreshDueAt({ issuedAt: 5000, expiresAt: 1000 }, seconds)).toBe(1000);
  });
});
