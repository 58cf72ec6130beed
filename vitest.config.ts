import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests drive real SQLite, libsane, tesseract.js and Chromium: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          env: { SANE_CONFIG_DIR: `${import.meta.dirname}/tests/fixtures/sane` },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // One browser at a time: two Chromiums on two cores make every test flaky.
          fileParallelism: false,
        },
      },
    ],
  },
});
