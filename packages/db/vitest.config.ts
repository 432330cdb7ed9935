import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    passWithNoTests: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One embedded PostgreSQL for the whole run, in a throw-away JetLens home; each test file
    // makes its own databases in it.
    globalSetup: ['test/global-setup.ts'],
    // The tests are about the embedded server; a DATABASE_URL in the environment must not
    // redirect them.
    env: { DATABASE_URL: '' },
  },
});
