/**
 * A plain-JavaScript jest set-up for the conformance kit: native ES modules, no transform (no
 * Babel, no ts-jest). jest runs ES modules only with Node's VM modules enabled, so the test script
 * sets `NODE_OPTIONS=--experimental-vm-modules` (the kit, nock 15 and inversify 8 are ESM-only).
 *
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  transform: {},
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // The whole catalogue against one connector takes a few seconds; a busy CI machine more.
  testTimeout: 30_000,
};
