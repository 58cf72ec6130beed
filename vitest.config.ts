import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests drive real SQLite, libsane, tesseract.js and Chromium: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // libsane's virtual `test` scanner only (see tests/fixtures/sane): real scanning code, no hardware, no network probes.
    env: { SANE_CONFIG_DIR: `${import.meta.dirname}/tests/fixtures/sane` },
    projects: [
      {
        extends: true,
        test: {
          // Pure code and single services on real parts, no child processes across rooms.
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Several rooms together, the CLI as a child process, the reference provincial server over HTTP.
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
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
