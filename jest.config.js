/** Jest runs the TypeScript sources directly through ts-jest (no build step before tests). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Stops the run at once, naming Redis and REDIS_URL, when no Redis answers (the tests need one).
  globalSetup: '<rootDir>/test/helpers/redis-check.ts',
  // Integration tests start servers and workers; give them room on a shared 2-core machine.
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
