import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // e2e suites share one Docker engine and fixed host ports: run files one at a time there.
    fileParallelism: true,
    reporters: ['default'],
  },
});
