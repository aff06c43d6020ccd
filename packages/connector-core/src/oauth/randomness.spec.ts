import {
  codeChallengeS256,
  constantTimeEqual,
  generateCodeVerifier,
  generateState,
  isValidCodeVerifier,
  stateKey,
} from './randomness.js';

describe('randomness (CSPRNG state and PKCE)', () => {
  it('state: 256 bits of base64url (>= 128 required), unique per call', () => {
    const states = Array.from({ length: 1000 }, generateState);
    for (const state of states) {
      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    }
    expect(new Set(states).size).toBe(1000);
  });

  it('code verifier: 43-128 unreserved characters (RFC 7636 §4.1), unique per call', () => {
    const verifiers = Array.from({ length: 1000 }, generateCodeVerifier);
    for (const verifier of verifiers) {
      expect(isValidCodeVerifier(verifier)).toBe(true);
      expect(verifier.length).toBeGreaterThanOrEqual(43);
      expect(verifier.length).toBeLessThanOrEqual(128);
    }
    expect(new Set(verifiers).size).toBe(1000);
  });

  it.each([
    ['a'.repeat(42), false],
    ['a'.repeat(43), true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    [`${'a'.repeat(42)}~`, true],
    [`${'a'.repeat(42)}+`, false],
    [`${'a'.repeat(42)}=`, false],
  ])('isValidCodeVerifier(%s) is %s', (verifier, ok) => expect(isValidCodeVerifier(verifier)).toBe(ok));

  it('S256 challenge matches the RFC 7636 Appendix B vector', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('compares in constant time, lengths included', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('stateKey is the SHA-256 hex of the state', () => {
    expect(stateKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
