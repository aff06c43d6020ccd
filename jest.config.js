/**
 * One jest run for the whole workspace: native ESM (`--experimental-vm-modules` via
 * pnpm-workspace.yaml `nodeOptions`), ts-jest with `useESM`. ts-jest does not type-check
 * (isolatedModules); `tsc -b` in the test command does.
 *
 * Workspace packages resolve to their TypeScript sources, so coverage is measured on `src`.
 */
const packages = [
  'connector-core',
  'provider-hp-techpulse',
  'provider-abbyy-vantage',
  'provider-leancore',
  'conformance',
  'store-redis',
  'console',
  'host',
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: [
    '<rootDir>/packages',
    '<rootDir>/examples',
    '<rootDir>/bench',
    '<rootDir>/test',
    '<rootDir>/scripts',
  ],
  testMatch: ['**/*.spec.ts', '**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Fails any test that shows a known secret (test/secrets.ts); see RELIABILITY.md.
  setupFilesAfterEnv: ['<rootDir>/test/leak-guard.ts', '<rootDir>/test/nock-isolation.ts'],
  moduleNameMapper: {
    '^@aic/connector-core/testing$': '<rootDir>/packages/connector-core/src/testing/index.ts',
    '^@aic/connector-core/node-guard$': '<rootDir>/packages/connector-core/src/node-guard.ts',
    ...Object.fromEntries(
      packages.map((name) => [`^@aic/${name}$`, `<rootDir>/packages/${name}/src/index.ts`]),
    ),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  collectCoverageFrom: [
    'packages/*/src/**/*.ts',
    '!packages/*/src/**/*.spec.ts',
    '!packages/*/src/**/__fixtures__/**',
    '!packages/*/src/bin/**',
  ],
  coverageReporters: ['text-summary', 'text', 'json-summary'],
  coverageThreshold: {
    './packages/connector-core/src/': { lines: 90 },
  },
  testTimeout: 20000,
};
