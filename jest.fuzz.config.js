/**
 * The fuzz tier, `npm run test:fuzz`: every test file whose generated cases are sized by
 * test/helpers/fuzz.ts runs with FUZZ=full (10,000+ cases, a fresh seed printed for replay).
 * Such a file is named `*.property.test.ts` or `simulation.test.ts`, or is the hostile-input,
 * echo-secrets or decisions suite;
 * test/toolchain.test.ts fails when a file that imports the helper is not matched here.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: undefined,
  testRegex:
    '(/faults/(hostile-input|echo-secrets)|/creates/decisions|\\.property|/simulation)\\.test\\.ts$',
  collectCoverage: false,
  coverageThreshold: undefined,
  // The long runs are bounded by their size, not by a clock; 10 minutes is a hang, not slowness.
  testTimeout: 600_000,
};
