/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking is `npm run typecheck`; jest only transpiles, which keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Builds dist/ once per run: suites that load the built app must test the current src/.
  globalSetup: '<rootDir>/test/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup-env.ts'],
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: {
    global: { lines: 90, branches: 90 },
  },
  // Jest's default is one worker per core but one (a single worker on a 2-core machine); the suites
  // wait on loopback servers and child processes a good part of the time, so two overlap well.
  maxWorkers: 2,
  testTimeout: 20000,
};
