import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/unit/setup.ts'],
          // WXT's build globals do not reach vitest projects; name the target the same way.
          env: { BROWSER: 'chrome' },
        },
      },
      {
        // The same unit tests against the Firefox build's environment (import.meta.env.BROWSER etc.).
        plugins: [WxtVitest({ browser: 'firefox' })],
        test: {
          name: 'unit-firefox',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/unit/setup.ts'],
          env: { BROWSER: 'firefox' },
        },
      },
      {
        // The organisation service (server/): PGlite always, PostgreSQL when CANDOR_TEST_DATABASE_URL is set.
        test: {
          name: 'server',
          include: ['server/tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The console in real headless Chromium against a running service.
        test: {
          name: 'server-e2e',
          include: ['server/tests/**/*.spec.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.spec.ts'],
          environment: 'node',
          // One Chromium at a time: this machine has two cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e-firefox',
          include: ['tests/e2e-firefox/**/*.spec.ts'],
          environment: 'node',
          // One Firefox at a time (two cores), and never beside a Chromium run: npm test runs it after.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
